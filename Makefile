# popek — a virtual machine monitor for RV64GC guests on x86-64 Linux hosts.
#   make          build build/popek
#   make asan     build build/asan/popek (AddressSanitizer + UndefinedBehaviorSanitizer)
#   make test     install deps, build both, prepare guest assets, run every test
#   make run      install deps, build, prepare the default guest and boot it
#   make bench    run the benchmark tables (bench/)

CC      ?= gcc
WERROR  ?= -Werror
PKGS    := slirp liburing libseccomp libzstd libcjson libmicrohttpd capstone
CFLAGS  ?= -O2 -g
# Errors are silenced here because `make deps` must work before the packages
# exist; pkg-check (a prerequisite of every object) then fails loudly.
CFLAGS  += -std=gnu11 -Wall -Wextra $(WERROR) -Isrc -MMD -MP -D_GNU_SOURCE -pthread \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := -lfdt $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# B is the output directory: helpers working in parallel use their own.
B       ?= build
SRCS    := $(shell find src -name '*.c' | sort)
OBJS    := $(SRCS:src/%.c=$(B)/obj/%.o)
AOBJS   := $(SRCS:src/%.c=$(B)/asan/obj/%.o)

.PHONY: all asan test run bench deps assets guest-tests clean pkg-check
all: $(B)/popek

$(B)/popek: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

pkg-check:
	@pkg-config --exists --print-errors $(PKGS) || \
		{ echo "popek: missing build dependencies (pkg-config $(PKGS)): run make deps" >&2; exit 1; }

$(B)/obj/%.o: src/%.c | pkg-check
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

asan: $(B)/asan/popek
$(B)/asan/popek: $(AOBJS)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

$(B)/asan/obj/%.o: src/%.c | pkg-check
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -c -o $@ $<

-include $(OBJS:.o=.d) $(AOBJS:.o=.d)

deps:
	@scripts/deps.sh

# Guest programs and assets used by the tests (cross-compiled, fetched from trixie).
assets: deps
	@scripts/build-assets.sh

test: deps
	$(MAKE) all asan
	@scripts/build-assets.sh
	/usr/bin/python3 -m pytest -q tests

run: deps
	$(MAKE) all
	@scripts/build-assets.sh
	@scripts/run-default.sh

bench: deps all
	@scripts/build-assets.sh
	bench/run-all.sh

clean:
	rm -rf $(B)/obj $(B)/asan $(B)/popek $(B)/tests
