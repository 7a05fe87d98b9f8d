//go:build cgo

package gl

import (
	"fmt"
	"runtime"
)

// thread is the one goroutine that owns a GL context. It runs on a locked
// OS thread, because a context is current on one thread and GL calls from
// any other thread fail silently; every GL call goes through do.
type thread struct {
	calls chan func()
	done  chan struct{}
}

// startThread starts the owner goroutine and runs setup on it first.
func startThread() *thread {
	t := &thread{calls: make(chan func()), done: make(chan struct{})}
	go t.loop()
	return t
}

func (t *thread) loop() {
	// Never unlocked: the goroutine's exit then ends the OS thread with
	// it, so no other goroutine inherits a thread with GL state.
	runtime.LockOSThread()
	defer close(t.done)
	for f := range t.calls {
		f()
	}
}

// do runs f on the owner thread and waits for it. A panic in f (a cgo
// binding's, GLFW's) comes back as an error rather than taking the
// process down.
func (t *thread) do(f func() error) error {
	errc := make(chan error, 1)
	t.calls <- func() {
		defer func() {
			if r := recover(); r != nil {
				errc <- fmt.Errorf("gl: panic on the GL thread: %v", r)
			}
		}()
		errc <- f()
	}
	return <-errc
}

// stop ends the owner goroutine after the calls already sent.
func (t *thread) stop() {
	close(t.calls)
	<-t.done
}
