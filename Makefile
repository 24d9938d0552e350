# sideman: `make demo` plays a bundled chart; `make test` runs every test.
GO ?= go
BIN := bin/sideman

.PHONY: all build demo test deps vet fuzz bench clean feels

all: build

build:
	$(GO) build -o $(BIN) ./cmd/sideman

demo: build
	@mkdir -p out
	./$(BIN) demo -o out/demo.mid

deps:
	./scripts/install-deps.sh

vet:
	$(GO) vet ./...
	@fmt=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$fmt" ]; then echo "gofmt needed: $$fmt"; exit 1; fi

test: deps vet
	$(GO) test ./...

# Each fuzz target for FUZZTIME (default 5m): make fuzz FUZZTIME=5m
fuzz:
	FUZZTIME=$(or $(FUZZTIME),5m) ./scripts/fuzz.sh

# Learn the built-in feels again from the corpora (../shared/data or
# $$SIDEMAN_DATA): feel/learn's TestBuiltinsReproduce fails until they match.
feels: build
	@for f in feel/builtin/*.feel; do n=$$(basename $$f .feel); \
	  ./$(BIN) feel learn --recipe $$n -o $$f || exit 1; done

bench:
	$(GO) test ./... -run '^$$' -bench . -benchtime 3x -cpu 1

clean:
	rm -rf bin out
