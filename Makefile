# sideman: `make demo` makes a demo project (a person's lick, a band and a
# traded solo, its authorship report) in out/demo-project; `make test` runs
# every test.
GO ?= go
BIN := bin/sideman

.PHONY: all build studio-web demo test deps vet fuzz bench clean feels models

all: build

# -buildvcs=auto: --version names the git revision where there is one
# (whatever GOFLAGS says). CGO_ENABLED=0: archive/tar's os/user would
# link libc dynamically, and loading it costs every command 0.6 ms.
build: studio-web
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -o $(BIN) ./cmd/sideman

# The studio page's synth (spessasynth, pinned in tools/spessasynth) is copied
# into studio/web/vendor, which the binary embeds; without npm the page
# plays simple tones and says so.
studio-web:
	@[ -f studio/web/vendor/spessasynth_lib/index.js ] || \
	  { command -v npm >/dev/null && tools/spessasynth/install.sh; } || \
	  echo "studio: no npm, so the page has no SoundFont synth (scripts/install-deps.sh installs it)" >&2

# out/demo-project is replaced only when an earlier demo made it.
demo: build
	@mkdir -p out
	./$(BIN) demo --new-project out/demo-project

deps:
	./scripts/install-deps.sh

vet:
	$(GO) vet ./...
	@fmt=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$fmt" ]; then echo "gofmt needed: $$fmt"; exit 1; fi

# Every test, uncached (-count=1) so corpora that arrived since the last run
# are read; then how many tests skipped for a missing corpus and which
# (scripts/test-summary). PKGS narrows it: make test PKGS=./format/...
test: deps vet
	@log=$$(mktemp) || exit 1; \
	  echo "$(GO) test -count=1 $(or $(PKGS),./...)"; \
	  SIDEMAN_SKIP_LOG=$$log $(GO) test -count=1 $(or $(PKGS),./...); rc=$$?; \
	  ./scripts/test-summary $$log; rm -f $$log; exit $$rc

# Each fuzz target for FUZZTIME (default 5m): make fuzz FUZZTIME=5m
fuzz:
	FUZZTIME=$(or $(FUZZTIME),5m) ./scripts/fuzz.sh

# Learn the built-in feels again from the corpora (../shared/data or
# $$SIDEMAN_DATA): feel/learn's TestBuiltinsReproduce fails until they match.
feels: build
	@for f in feel/builtin/*.feel; do n=$$(basename $$f .feel); \
	  ./$(BIN) feel learn --recipe $$n -o $$f || exit 1; done

# Learn the models again from the corpora (../shared/data or $$SIDEMAN_DATA;
# recipes in model/builtin): the built-in jazz model (WJazzD, ODbL 1.0)
# into model/builtin/jazz.model.gz, committed (model/builtin's
# TestBuiltinReproduces fails until it matches), and the folk (Nottingham,
# GPL-3.0) and chorale (Bach, CC BY-NC-SA 4.0) models into the user's
# model folder, MODELDIR, never into the repository.
MODELDIR ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/sideman/models
models: build
	@mkdir -p out "$(MODELDIR)"
	./$(BIN) model learn --recipe jazz -o out/jazz.model
	gzip -9 -n -c out/jazz.model > model/builtin/jazz.model.gz.tmp && \
	  mv model/builtin/jazz.model.gz.tmp model/builtin/jazz.model.gz && rm out/jazz.model
	./$(BIN) model learn --recipe folk -o "$(MODELDIR)/folk.model"
	./$(BIN) model learn --recipe chorales -o "$(MODELDIR)/chorales.model"
	@echo "folk and chorales models in $(MODELDIR)"

bench:
	$(GO) test ./... -run '^$$' -bench . -benchtime 3x -cpu 1

clean:
	rm -rf bin out
