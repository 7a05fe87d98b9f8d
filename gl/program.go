//go:build cgo

package gl

import (
	"fmt"
	"strings"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/shaders"
)

// define is one #define the backend inserts into a shader.
type define struct{ name, value string }

// defines formats a list for a cache key and for messages.
func defines(ds []define) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.name+"="+d.value)
	}
	return strings.Join(s, " ")
}

// specialise inserts the defines right after the #version line, which
// GLSL requires to come first.
func specialise(src string, ds []define) string {
	head, rest, _ := strings.Cut(src, "\n")
	var b strings.Builder
	b.WriteString(head)
	b.WriteByte('\n')
	for _, d := range ds {
		fmt.Fprintf(&b, "#define %s %s\n", d.name, d.value)
	}
	b.WriteString(rest)
	return b.String()
}

// numbered prefixes each line of src with its number, as drivers count
// them in their logs.
func numbered(src string) string {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimRight(src, "\n"), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}

// uniform is one of the uniforms the shaders may declare (see package
// shaders); program looks each up once after linking.
type uniform uint8

const (
	uniformN uniform = iota
	uniformM
	uniformK
	uniformAlpha
	uniformBeta
	uniformGroupBase
	uniformMul
	uniformAdd
	numUniforms
)

// name is the uniform's name in GLSL.
func (u uniform) name() string {
	return [numUniforms]string{"n", "m", "k", "alpha", "beta", "group_base", "mul", "add"}[u]
}

// program is a linked compute program.
type program struct {
	id   uint32
	name string
	// uniforms holds each uniform's location, -1 where the shader has
	// none (or the compiler dropped it).
	uniforms [numUniforms]int32
	// rate is the work per second (groups × unit, see dispatchBlock) of
	// the last timed slice; 0 until one was timed.
	rate float64
}

// progKey identifies a specialised program in the cache.
type progKey struct {
	name    string
	defines string
}

// CompileError is a shader the driver refused: its name, the driver's log
// and the source as compiled, with line numbers to match the log.
type CompileError struct {
	Shader  string
	Defines string
	Stage   string // "compile" or "link"
	Log     string
	Source  string
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("gl: shader %s (%s) failed to %s:\n%s\nsource:\n%s",
		e.Shader, e.Defines, e.Stage, strings.TrimSpace(e.Log), numbered(e.Source))
}

// program returns the shader name specialised with ds, compiling and
// linking it the first time. Call on the owner thread.
func (b *backend) program(name string, ds []define) (*program, error) {
	key := progKey{name, defines(ds)}
	if p, ok := b.progs[key]; ok {
		return p, nil
	}
	src, err := shaders.Source(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", compute.ErrUnsupported, err)
	}
	if b.sourceHook != nil {
		src = b.sourceHook(name, src)
	}
	p, err := b.compile(name, key.defines, specialise(src, ds))
	if err != nil {
		return nil, err
	}
	b.progs[key] = p
	return p, nil
}

// compile builds a compute program from src. On failure it deletes the
// shader and program it made and returns a *CompileError.
func (b *backend) compile(name, defs, src string) (*program, error) {
	sh := gl.CreateShader(gl.COMPUTE_SHADER)
	if sh == 0 {
		return nil, fmt.Errorf("gl: glCreateShader(GL_COMPUTE_SHADER) failed for %s", name)
	}
	b.live[objShader]++
	defer func() {
		gl.DeleteShader(sh)
		b.live[objShader]--
	}()
	csrc, free := gl.Strs(src + "\x00")
	length := int32(len(src))
	gl.ShaderSource(sh, 1, csrc, &length)
	free()
	gl.CompileShader(sh)
	var ok int32
	gl.GetShaderiv(sh, gl.COMPILE_STATUS, &ok)
	if ok == gl.FALSE {
		return nil, &CompileError{Shader: name, Defines: defs, Stage: "compile", Log: shaderLog(sh), Source: src}
	}
	id := gl.CreateProgram()
	b.live[objProgram]++
	gl.AttachShader(id, sh)
	gl.LinkProgram(id)
	gl.DetachShader(id, sh)
	gl.GetProgramiv(id, gl.LINK_STATUS, &ok)
	if ok == gl.FALSE {
		log := programLog(id)
		gl.DeleteProgram(id)
		b.live[objProgram]--
		return nil, &CompileError{Shader: name, Defines: defs, Stage: "link", Log: log, Source: src}
	}
	p := &program{id: id, name: name}
	for u := range numUniforms {
		p.uniforms[u] = gl.GetUniformLocation(id, gl.Str(u.name()+"\x00"))
	}
	return p, nil
}

func shaderLog(sh uint32) string { return infoLog(sh, gl.GetShaderiv, gl.GetShaderInfoLog) }

func programLog(p uint32) string { return infoLog(p, gl.GetProgramiv, gl.GetProgramInfoLog) }

// infoLog reads the info log of a shader or program through its pair of
// GL getters (glGetShaderiv and glGetShaderInfoLog, or the program's).
func infoLog(id uint32, getiv func(uint32, uint32, *int32), getLog func(uint32, int32, *int32, *uint8)) string {
	var n int32
	getiv(id, gl.INFO_LOG_LENGTH, &n)
	if n <= 1 {
		return "(the driver gave no log)"
	}
	buf := make([]byte, n)
	getLog(id, n, nil, &buf[0])
	return gl.GoStr(&buf[0])
}

// setUint sets a uint uniform; a uniform the compiler dropped is skipped.
func (p *program) setUint(u uniform, v int) {
	if loc := p.uniforms[u]; loc >= 0 {
		gl.ProgramUniform1ui(p.id, loc, uint32(v))
	}
}

// setScalar sets a DTYPE uniform at the program's precision.
func (p *program) setScalar(u uniform, dt compute.DType, v float64) {
	loc := p.uniforms[u]
	if loc < 0 {
		return
	}
	if dt == compute.Float64 {
		gl.ProgramUniform1d(p.id, loc, v)
	} else {
		gl.ProgramUniform1f(p.id, loc, float32(v))
	}
}

// setProblem sets the uniforms the shader declares from pr: its sizes
// n, m and k, α and β at its precision, and fma's step constants
// compute.FMAMul and compute.FMAAdd (exact in either dtype). The shaders
// declare those their kernel reads (package shaders), so each gets what
// it needs.
func (p *program) setProblem(pr compute.Problem) {
	s := pr.Shape
	p.setUint(uniformN, s.N)
	p.setUint(uniformM, s.M)
	p.setUint(uniformK, s.K)
	p.setScalar(uniformAlpha, pr.DType, pr.Alpha)
	p.setScalar(uniformBeta, pr.DType, pr.Beta)
	p.setScalar(uniformMul, pr.DType, compute.FMAMul)
	p.setScalar(uniformAdd, pr.DType, compute.FMAAdd)
}
