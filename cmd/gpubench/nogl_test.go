//go:build !cgo

package main

// glCatalogue holds the error catalogue's rows that need the gl backend
// built in (gl_test.go's): none without cgo.
var glCatalogue []faultRow
