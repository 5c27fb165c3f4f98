# Builds release binaries and installs them with their manual pages and the systemd unit:
#   make install PREFIX=/usr/local       (DESTDIR=/some/root for a package)
#   make uninstall PREFIX=/usr/local
# INSTALL_BIN_DIR=DIR installs binaries already built there instead of building release ones.
# `make man` makes the manual pages again from the argument parsers (man/generate.sh).

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# Both are in systemd's search paths for PREFIX /usr/local and /usr alike.
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SYSCONFDIR ?= /etc
INSTALL_BIN_DIR ?=
# On the machine itself (no DESTDIR): make the user and tell systemd of the unit; `no` skips it.
SYSTEM_SETUP ?= yes

PROGRAMS = chat-server chat-tui

.PHONY: all build install uninstall man

all: build

build:
ifeq ($(INSTALL_BIN_DIR),)
	swift build -c release --product chat-server
	swift build -c release --product chat-tui
endif

# The operator's config file is installed only where there is none.
install: build
	$(eval FROM := $(if $(INSTALL_BIN_DIR),$(INSTALL_BIN_DIR),$(shell swift build -c release --show-bin-path)))
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/chat-server
	for p in $(PROGRAMS); do install -m 755 $(FROM)/$$p $(DESTDIR)$(BINDIR)/$$p; done
	install -m 644 man/chat-server.8 $(DESTDIR)$(MANDIR)/man8/chat-server.8
	install -m 644 man/chat-tui.1 $(DESTDIR)$(MANDIR)/man1/chat-tui.1
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/chat-server.service > $(DESTDIR)$(UNITDIR)/chat-server.service
	chmod 644 $(DESTDIR)$(UNITDIR)/chat-server.service
	install -m 644 contrib/chat-server.sysusers $(DESTDIR)$(SYSUSERSDIR)/chat-server.conf
	test -e $(DESTDIR)$(SYSCONFDIR)/chat-server/chat-server.conf || \
		install -m 644 contrib/chat-server.conf $(DESTDIR)$(SYSCONFDIR)/chat-server/chat-server.conf
	if [ -z "$(DESTDIR)" ] && [ "$(SYSTEM_SETUP)" = yes ] && command -v systemd-sysusers >/dev/null; then \
		systemd-sysusers $(SYSUSERSDIR)/chat-server.conf || true; fi
	if [ -z "$(DESTDIR)" ] && [ "$(SYSTEM_SETUP)" = yes ] && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi

# Leaves the config file and the user: they are the operator's.
uninstall:
	for p in $(PROGRAMS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	rm -f $(DESTDIR)$(MANDIR)/man8/chat-server.8 $(DESTDIR)$(MANDIR)/man1/chat-tui.1 \
		$(DESTDIR)$(UNITDIR)/chat-server.service $(DESTDIR)$(SYSUSERSDIR)/chat-server.conf

man:
	man/generate.sh
