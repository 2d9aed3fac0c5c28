# Pantau. The two commands a newcomer needs: make run, make test.
GO       ?= go
BIN      ?= bin/pantau
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: run build frontend test bench image clean

## run: build Pantau and start it on the embedded SQLite database with demo data
run: build
	PANTAU_LOG_FORMAT=$${PANTAU_LOG_FORMAT:-text} $(BIN) serve --demo

## build: build the web app (npm ci + vite build into frontend/dist), then the single binary into bin/pantau
build: frontend
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/pantau

## frontend: the web app only (skipped with a warning when npm is missing; the binary then shows "not built")
frontend:
	scripts/frontend-build.sh

## test: install what the tests need, start a throwaway PostgreSQL, run every test on both databases
test:
	scripts/test.sh

## bench: Go benchmarks and the load script at national scale, on SQLite and PostgreSQL
bench:
	scripts/bench.sh

## image: the container image pantau:VERSION FROM scratch around the static binary (podman or buildah; deploy/Containerfile)
image: frontend
	VERSION=$(VERSION) scripts/image.sh

clean:
	rm -rf bin
