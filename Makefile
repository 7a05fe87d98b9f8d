# The one place that knows the commands. `make run` and `make test` each
# install the system packages they need (Debian/Ubuntu, as root or via sudo).

GO      ?= go
BIN     := bin/gpubench
PKGS    := ./...
# Mesa writes compiled shaders here instead of the home directory.
export MESA_SHADER_CACHE_DIR ?= $(CURDIR)/.cache/mesa
# Mesa does not make the folder's parents, and says so on stderr (which
# the tests read): make it before anything opens a GL context.
$(shell mkdir -p "$(MESA_SHADER_CACHE_DIR)")

# System packages: cgo and the GL and EGL headers for the gl backend
# (libEGL itself is loaded at run time: the binary starts without it),
# Mesa's llvmpipe for a real GL context without a GPU; for the tests, the
# X11 headers GLFW builds with (-tags glfw: make test-glfw) and Xvfb to
# run it, glslang to validate shaders offline, Mesa's Vulkan drivers for
# zink on lavapipe (make test-zink), QEMU's user-mode emulator to run the
# arm64 tests (make test-cross).
DEB_BUILD := gcc libc6-dev pkg-config libgl-dev libegl-dev libegl-mesa0 libgl1-mesa-dri
DEB_GLFW  := libxrandr-dev libxinerama-dev libxcursor-dev libxi-dev libxxf86vm-dev
DEB_TEST  := $(DEB_GLFW) xvfb xauth glslang-tools mesa-vulkan-drivers qemu-user
DEB_PEERS := libopenblas-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build run roofline test test-go test-levels test-cross test-glfw test-zink mutate mutate-fast bench bench-peers lint vet fmt staticcheck tidy-check deps deps-test print-deps generate generate-check fuzz clean

all: build

# $(call install,PACKAGES): install those of PACKAGES that are missing.
install = @missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## deps: install the system packages the build needs (skips what is there)
deps:
	$(call install,$(DEB_BUILD))

deps-test: deps
	$(call install,$(DEB_TEST) $(DEB_PEERS))

print-deps:
	@echo $(DEB_BUILD) $(DEB_TEST) $(DEB_PEERS)

## build: the gpubench binary in bin/
build: deps
	$(GO) build -o $(BIN) ./cmd/gpubench

## run: the quick suite on every available backend (the main job)
run: build
	./$(BIN)

## roofline: each backend's bandwidth, FMA peak and intensity sweep, with
## the last run's kernels placed on them, drawn to roofline.svg
roofline: build
	./$(BIN) roofline --backend all --out roofline.svg

## test: everything CI runs
test: deps-test lint generate-check test-go test-levels test-cross test-glfw test-zink mutate-fast
	@echo "make test: all passed"

# Each package runs once at full size without the race detector. The
# race detector then runs where goroutines share memory, on the sizes
# that reach each parallel path (the tests trim their largest cases
# under -race: see raceEnabled in cpu's packages): the parallel CPU
# packages with 4 procs (more workers than this machine has cores), the
# packages that start goroutines of their own once, and cmd/gpubench's
# in-process progress line (its other tests run the binary, which is
# not built with -race). The parallel CPU packages run at full size with
# 1 proc (the serial paths a default worker count takes; their tests
# name worker counts of 2 and 3 themselves).
# The peers run once more with OpenBLAS (-tags openblas): its conformance
# and the core it chooses at start-up.
# The cgo-free build has no gl backend by design, so GPUBENCH_REQUIRE_GL
# (CI sets it) is cleared for that run only: it tests what the build
# changes (gl skips; the CLI without gl, -short: its memory and soak
# tests are the same with cgo; the peers without OpenBLAS; cpu/blas, the
# BLAS for gonum programs that build without cgo).
PAR_PKGS  := ./cpu ./cpu/blas/... ./cpu/internal/gemm/... ./cpu/internal/pool ./peer/... ./internal/...
RACE_PKGS := ./cpu/internal/kern ./gl ./harness ./ref ./results ./compute/... ./hwinfo
# Left out under -race (they run without it): gl's conformance suite,
# shaders the detector cannot see, driven by the owner goroutine the
# other gl tests drive too; harness's weak-scaling sweep of a fake
# backend, arithmetic of the memory plan.
RACE_SKIP := TestConformance|TestMemoryLimitEveryCommand
# The packages outside PAR_PKGS (evaluated only where used).
ONCE_PKGS = $(filter-out $(shell $(GO) list $(PAR_PKGS)),$(shell $(GO) list $(PKGS)))
test-go:
	$(GO) test -count=1 $(ONCE_PKGS)
	$(GO) test -count=1 -cpu=1 $(PAR_PKGS)
	$(GO) test -race -count=1 -cpu=4 $(PAR_PKGS)
	$(GO) test -race -count=1 -skip '^($(RACE_SKIP))$$' $(RACE_PKGS)
	$(GO) test -race -count=1 -run Progress ./cmd/gpubench
	$(GO) test -count=1 -tags openblas ./peer/ ./internal/openblas/
	CGO_ENABLED=0 $(GO) build ./...
	CGO_ENABLED=0 GPUBENCH_REQUIRE_GL= $(GO) test -count=1 -short ./gl ./cmd/gpubench ./peer ./cpu/blas/...

## test-levels: the CPU kernels at every SIMD level down to pure Go
test-levels:
	$(GO) test -count=1 -tags noasm ./cpu/...

## test-cross: the pure-Go paths build and vet on other architectures
## (and the CPU packages, cpu/blas's pure-Go fallback among them, pass
## their tests on arm64 under QEMU; QEMU 7.2's i386 emulator crashes the
## Go runtime at start-up, so 386 is built and vetted only). The arm64
## run is -short: the same Go code at every path's sizes, its largest
## cases (kern's past 64Ki elements, gemm's cache-block edges, cpu's
## conformance on 1 and 2 workers) left to the native runs.
test-cross:
	GOARCH=arm64 $(GO) vet ./...
	GOARCH=386 $(GO) vet ./...
	GOARCH=arm64 CGO_ENABLED=0 $(GO) build ./...
	GOARCH=386 CGO_ENABLED=0 $(GO) build ./...
	GOARCH=arm64 CGO_ENABLED=0 $(GO) test -count=1 -short -exec qemu-aarch64 ./cpu/... ./hwinfo ./compute/... ./results ./stats

## test-glfw: the GLFW context path (built only with -tags glfw), under a
## virtual X display
test-glfw:
	GPUBENCH_GL=glfw GPUBENCH_REQUIRE_GL=1 xvfb-run -a $(GO) test -tags glfw -count=1 -run 'GLFW|Conformance' ./gl/

## test-zink: the whole gl suite on a second OpenGL: Mesa's zink (OpenGL
## over Vulkan, shaders compiled through SPIR-V, unlike llvmpipe) on
## lavapipe, Mesa's Vulkan on the CPU. Mesa's surfaceless EGL loads zink
## only as its software driver (LIBGL_ALWAYS_SOFTWARE=1 with
## GALLIUM_DRIVER=zink); without LIBGL_ALWAYS_SOFTWARE it looks for a DRM
## device and fails. The renderer must be zink and run every dtype, so a
## Mesa that fell back to llvmpipe fails here.
ZINK_ENV = GALLIUM_DRIVER=zink LIBGL_ALWAYS_SOFTWARE=1 GPUBENCH_GL=egl-surfaceless \
	VK_DRIVER_FILES="$$lvp" VK_ICD_FILENAMES="$$lvp" XDG_RUNTIME_DIR=$(CURDIR)/.cache/xdg \
	GPUBENCH_REQUIRE_GL=1 GPUBENCH_REQUIRE_RENDERER=zink
test-zink:
	@mkdir -p -m 700 $(CURDIR)/.cache/xdg
	lvp=$$(ls /usr/share/vulkan/icd.d/lvp_icd.*.json | head -1); \
	test -n "$$lvp" || { echo "no lavapipe ICD: install mesa-vulkan-drivers (make deps-test)"; exit 1; }; \
	$(ZINK_ENV) $(GO) test -count=1 ./gl/

## mutate: the mutation suite: plant each bug of cmd/mutate's
## catalogue (kernels, assembly generators, the gemm driver, the parallel
## runner, every shader, the peers' adapters, the verifier) in a copy of
## the tree (.cache/mutate/tree), build it, and run the commands that must
## catch it; fails unless every mutant is killed. MUTATE_FLAGS passes
## -run REGEXP or -list.
## mutate-fast: its fast subset, at least one mutant of each class
## (about 3 minutes on 2 cores), which make test runs.
mutate: deps-test
	$(GO) run ./cmd/mutate $(MUTATE_FLAGS)
mutate-fast: deps-test
	$(GO) run ./cmd/mutate -fast $(MUTATE_FLAGS)

## fuzz: each fuzz target for FUZZTIME (their seed corpora already run in
## every `go test`, so `make test` covers them). Go keeps an input that
## fails in the package's testdata/fuzz/<FuzzName>/ (its default), where
## every later `go test` replays it: commit it with the fix.
FUZZTIME ?= 30s
FUZZ := $(GO) test -run '^$$' -fuzztime $(FUZZTIME)
fuzz: deps
	$(FUZZ) -fuzz '^FuzzParseShape$$' ./compute
	$(FUZZ) -fuzz '^FuzzReadReport$$' ./results
	$(FUZZ) -fuzz '^FuzzKernels$$' ./cpu
	$(FUZZ) -fuzz '^FuzzKernels$$' ./gl
	$(FUZZ) -fuzz '^FuzzGemm$$' ./cpu/internal/gemm
	$(FUZZ) -fuzz '^FuzzAsm$$' ./cpu/internal/kern
	$(FUZZ) -fuzz '^FuzzFMA$$' ./cpu/internal/kern
	$(FUZZ) -fuzz '^FuzzTranspose$$' ./cpu/internal/kern

## bench: Go benchmarks of every package (medians: use -count and benchstat)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 $(PKGS)

## bench-peers: our CPU kernels next to OpenBLAS and gonum, as ratios
## (each case on every backend before the next; the vectors and gemv are
## past the L3 of most machines: 64 MiB and more; dot stays under 2²⁴
## elements, where a serial float32 sum's error bound is still finite).
## OpenBLAS 0.3.21 takes CPUs newer than it (Sapphire and Emerald Rapids)
## for Cooper Lake, whose sgemm measured 5× slower there than its
## SkylakeX kernels: run `make bench-peers OPENBLAS_CORETYPE=SkylakeX`.
## On an AVX-512 machine an OPENBLAS_CORETYPE naming a core without
## AVX-512 (Haswell) is replaced by SkylakeX at start-up, before OpenBLAS
## loads (internal/openblas/core.go); the first line printed names the core.
PEER_RUN = ./bin/gpubench-peers run --interleave --backend cpu,openblas,gonum --reps 10
export OPENBLAS_CORETYPE
bench-peers: deps
	$(call install,$(DEB_PEERS))
	$(GO) build -tags openblas -o bin/gpubench-peers ./cmd/gpubench
	@./bin/gpubench-peers list | grep '^openblas'
	$(PEER_RUN) --kernel gemm --dtype all --size 256,512,1000,1023,1024,1025,2048 --out bin/peers-gemm.json
	$(PEER_RUN) --kernel saxpy,dot --dtype all --size 8Mi --out bin/peers-vector.json
	$(PEER_RUN) --kernel gemv --dtype all --size 4096 --out bin/peers-gemv.json

## generate: regenerate the avo assembly and stubs, and cpu/blas's
## float32 testblas (the //go:generate directives under cpu/ run the
## generators of cpu/_gen, its own module)
# GOARCH=amd64: the directives sit in amd64 files, so that the files come
# out the same from any machine.
GENERATED = $(shell grep -rlE --include='*.go' --include='*.s' '^// Code generated .*DO NOT EDIT' cpu)
generate:
	GOARCH=amd64 $(GO) generate ./cpu/...

## generate-check: fail if regenerating changes a committed generated file
## (or makes one git does not track)
generate-check: generate
	@changed=$$(git status --porcelain -- $(GENERATED)); \
	if [ -n "$$changed" ]; then \
		echo "generated files differ from the generators (run make generate and commit):"; \
		echo "$$changed"; git --no-pager diff --stat -- $(GENERATED); exit 1; \
	fi; echo "generate-check: $(words $(GENERATED)) generated files are current"

## lint: formatting, vet, staticcheck (the module's tool, at the version
## go.mod pins) on the default build and on gl with GLFW (-tags glfw),
## and go.mod and go.sum as go mod tidy leaves them
lint: fmt vet staticcheck tidy-check
fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
vet:
	$(GO) vet ./...
	$(GO) vet -tags openblas ./peer/
	$(GO) vet -tags glfw ./gl/
staticcheck:
	$(GO) tool staticcheck ./...
	$(GO) tool staticcheck -tags glfw ./gl/
tidy-check:
	$(GO) mod tidy -diff

clean:
	rm -rf bin .cache
