# The README's two commands. Both do all set-up first (idempotent), then build in release mode.
#   make repro   the quick-profile reproduction: every notebook under notebooks/, rendered into out/
#   make test    the whole test suite
SWIFT ?= swift
PROFILE ?= quick
RELEASE = -c release

.PHONY: setup build repro test bench figures clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build $(RELEASE) --product imine

repro: build
	$(SWIFT) run $(RELEASE) imine run notebooks/*.md --profile $(PROFILE)

# Release mode with testing enabled: the numeric tests (gradient checks, tiny pretraining) need optimised code.
test: setup
	$(SWIFT) build $(RELEASE) --build-tests -Xswiftc -enable-testing
	$(SWIFT) test $(RELEASE) --skip-build -Xswiftc -enable-testing

figures: build
	$(SWIFT) run $(RELEASE) imine figures

clean:
	rm -rf .build .imine out
