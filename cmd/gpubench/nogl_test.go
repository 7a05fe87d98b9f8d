//go:build !cgo

package main

// glCatalogue holds the error catalogue's rows that need the gl backend
// built in (gl_test.go's): none without cgo.
var glCatalogue []faultRow

// glBuilt says whether the gl backend is built in: not without cgo.
const glBuilt = false
