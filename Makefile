# pwg's build shortcuts. The scripts in .ci/ do the work; see README.
#
#   make package                        release binary + Linux package in .ci/out/
#   make install [PREFIX=/usr/local]    install it (PREFIX=$HOME/.local: just for you)
#   make uninstall [PREFIX=/usr/local]  remove it again (the same PREFIX)
#   make test                           vet, staticcheck, tests with -race

PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
ARCH := $(shell go env GOARCH)
PKG := .ci/out/pwg-$(VERSION)-linux-$(ARCH)

.PHONY: package install uninstall test

package:
	.ci/package

$(PKG)/Makefile:
	.ci/package

install: $(PKG)/Makefile
	$(MAKE) -C $(PKG) install PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)"

uninstall:
	$(MAKE) -f assets/linux/Makefile uninstall PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)"

test:
	.ci/test
