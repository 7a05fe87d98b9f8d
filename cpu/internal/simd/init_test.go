package simd

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestNothingAtInit guards the rule that importing cpu/blas (or any of
// the CPU kernels' packages) runs nothing: no init function, and no
// package variable made by a call, except the sync.Once* wrappers that
// defer the work to the first use. Levels are detected, and the caches
// read, by Engines, at the first call that needs an engine.
func TestNothingAtInit(t *testing.T) {
	allowed := map[string]bool{"sync.OnceValue": true, "sync.OnceValues": true, "sync.OnceFunc": true, "errors.New": true}
	for _, dir := range []string{".", "../kern", "../gemm", "../pool", "../../blas"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil && d.Name.Name == "init" {
						t.Errorf("%s: func init", name)
					}
				case *ast.GenDecl:
					if d.Tok != token.VAR {
						continue
					}
					for _, s := range d.Specs {
						for _, v := range s.(*ast.ValueSpec).Values {
							ast.Inspect(v, func(n ast.Node) bool {
								switch n := n.(type) {
								case *ast.FuncLit:
									return false // runs when called, not at init
								case *ast.CallExpr:
									if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
										if x, ok := sel.X.(*ast.Ident); ok && allowed[x.Name+"."+sel.Sel.Name] {
											return true
										}
									}
									t.Errorf("%s: a package variable is made by a call at init: %s", name, callee(n.Fun))
								}
								return true
							})
						}
					}
				}
			}
		}
	}
}

// callee prints a call's function as written, for the message.
func callee(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return callee(e.X) + "." + e.Sel.Name
	case *ast.IndexExpr:
		return callee(e.X) + "[…]"
	}
	return "a call"
}
