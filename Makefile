# The README's two commands. Both do all set-up first (idempotent), then build in release mode.
#   make repro   the reproduction on a real language model (profile real-quick: SmolLM2-135M-Instruct finetuned in
#                Swift): every notebook under notebooks/, rendered into out/; PROFILE=quick for the MicroLM oracle
#   make test    the whole test suite
SWIFT ?= swift
PROFILE ?= real-quick
RELEASE = -c release

.PHONY: setup build repro test bench figures clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build $(RELEASE) --product imine

repro: build
	$(SWIFT) run $(RELEASE) imine run notebooks/*.md --profile $(PROFILE)

# Release mode with testing enabled: the numeric tests (gradient checks, tiny pretraining) need optimised code.
# The scale-out tests start a real one-node Slurm (installed by set-up). The GPU-script tests need PyTorch and
# transformers and run only with IMINE_GPU_SCRIPT_TESTS=1 (see docs/scale-out.md).
test:
	@bash scripts/setup.sh --with-slurm
	$(SWIFT) build $(RELEASE) --build-tests -Xswiftc -enable-testing
	IMINE_SLURM_TESTS=1 $(SWIFT) test $(RELEASE) --skip-build -Xswiftc -enable-testing

figures: build
	$(SWIFT) run $(RELEASE) imine figures

clean:
	rm -rf .build .imine out
