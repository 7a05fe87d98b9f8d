//go:build !linux

package main

import (
	"errors"
	"io"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// openJournal fails: a run is supervised on Linux only (supervises).
func openJournal(int, func(compute.Problem) time.Duration) (*journal, error) {
	return nil, errors.New("a supervised run needs Linux")
}

// supervise fails: a run is supervised on Linux only (supervises).
func (s *supervision) supervise(io.Writer, io.Writer, bool) error {
	return errors.New("a supervised run needs Linux")
}

// superviseCommand fails: a command is supervised on Linux only
// (supervises).
func (s *supervision) superviseCommand(string, io.Writer, io.Writer) (string, error) {
	return "", errors.New("a supervised command needs Linux")
}
