# stance - GNU make build.  Every product goes under build/.
#
#   make            build/stance and build/libstance.a
#   make test       dependencies, build, every test (unit, golden, CLI, data)
#   make asan       the whole test suite under AddressSanitizer + UBSan
#   make fuzz       libFuzzer (clang) on every reader, FUZZ_SECONDS each (default 60)
#   make fuzz-ci    the same, 12 seconds each
#   make memcheck   the CLI tests under valgrind (errors and leaks fail)
#   make run        dependencies, build, quotes of the bundled sample article
#   make model      rebuilds models/default/ from training-data/ (reproducible)
#   make bench      speed and memory next to fastText, libsvm, liblinear (scripts/bench)
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean      removes build/ (leaves no untracked file)

PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
CC        ?= cc
PKG_CONFIG ?= pkg-config

CFLAGS    ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CPPFLAGS  += -D_POSIX_C_SOURCE=200809L -Isrc
# Where `make install` puts the default model; classify falls back to it.
CPPFLAGS  += -DSTANCE_MODEL_DIR='"$(PREFIX)/share/stance/default"'

# Dependencies: pkg-config where Debian ships a .pc; libsvm has none.
DEPS_PKGS   := libutf8proc jansson
DEPS_CFLAGS  = $(shell $(PKG_CONFIG) --cflags $(DEPS_PKGS) 2>/dev/null)
DEPS_LIBS    = $(shell $(PKG_CONFIG) --libs $(DEPS_PKGS) 2>/dev/null)
SVM_CFLAGS  ?=
SVM_LIBS    ?= -lsvm
# liblinear (Debian liblinear-dev: <linear.h>, no .pc either).
LINEAR_CFLAGS ?=
LINEAR_LIBS   ?= -llinear
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
LDLIBS      += $(DEPS_LIBS) $(SVM_LIBS) $(LINEAR_LIBS) -lm -lpthread

ALL_CFLAGS = $(WARN) $(CFLAGS) $(DEPS_CFLAGS) $(SVM_CFLAGS) $(LINEAR_CFLAGS)

LIB_SRC  := $(sort $(wildcard src/st_*.c))
CMD_SRC  := $(sort $(wildcard src/cmd_*.c src/cli_*.c)) src/main.c
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CMD_OBJ  := $(CMD_SRC:src/%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all test unit-test cli-test spec-test data-test robust-test asan run deps install uninstall clean model
all: $(BUILD)/stance $(BUILD)/libstance.a

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libstance.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/stance: $(CMD_OBJ) $(BUILD)/libstance.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libstance.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libstance.a $(wildcard src/*.h) $(wildcard tests/*.h) $(wildcard src/cli_*.c) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< $(BUILD)/libstance.a $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

deps:
	@scripts/deps

# Builds run on every CPU unless make was given its own -j; the suites
# shard their cases themselves (tests/cli.sh, scripts/run-unit-tests).
NPROC := $(shell scripts/jobs)
PAR    = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))

# The README's test command.  Each suite prints its own summary line.
test: deps
	@$(MAKE) --no-print-directory $(PAR) all $(TEST_BIN)
	@$(MAKE) --no-print-directory unit-test spec-test cli-test data-test fuzz-replay robust-test
	@STANCE=$(BUILD)/stance tests/report_html_test.sh

unit-test: $(TEST_BIN)
	@scripts/run-unit-tests $(TEST_BIN)

spec-test: $(BUILD)/stance
	@python3 tests/spec_tests.py --bin $(BUILD)/stance tests/spec/*.txt

cli-test: $(BUILD)/stance
	@STANCE=$(BUILD)/stance tests/cli.sh

data-test:
	@python3 tests/check_data.py

# Issue 7: what failed, refused or killed runs leave behind (-o, train
# killed midway), and every writer read back by python3's json, csv and
# html.parser.
robust-test: $(BUILD)/stance
	@STANCE=$(BUILD)/stance tests/no_lost_data.sh
	@python3 tests/escaping_test.py --bin $(BUILD)/stance --dir $(BUILD)/escaping

# AddressSanitizer + UBSan: a separate build tree, the same suites.
ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build/asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined"
asan: deps
	@$(ASAN_MAKE) $(PAR) all $(TEST_BIN:$(BUILD)/%=build/asan/%) $(REPLAY_BIN:$(BUILD)/%=build/asan/%)
	@STANCE_TEST_STRIDE=8 $(ASAN_MAKE) unit-test spec-test cli-test fuzz-replay robust-test

# ------------------------------------------------------------------
# Fuzzing (tests/fuzz/README.md).  One libFuzzer target per reader.
#   fuzz-replay  every seed and regression input through each target once,
#                built with $(CC) and a plain main() (part of `make test`)
#   fuzz         clang + libFuzzer + ASan/UBSan, FUZZ_SECONDS per target;
#                new inputs go to build/fuzz/corpus/, crashes to
#                build/fuzz/artifacts/
#   fuzz-ci      the same for 12 seconds per target (CI: a smoke test; long runs are make fuzz)
#   memcheck     tests/cli.sh with the binary under valgrind
FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c))))
FUZZ_HDR     := $(wildcard tests/fuzz/*.h)
CLI_LIB_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(sort $(wildcard src/cli_*.c)))
REPLAY_BIN   := $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/%)
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_FLAGS   := -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJ := $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC) $(sort $(wildcard src/cli_*.c)))
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

.PHONY: fuzz fuzz-ci fuzz-build fuzz-replay memcheck

$(BUILD)/libstance-cli.a: $(CLI_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay_main.c $(FUZZ_HDR) $(BUILD)/libstance-cli.a $(BUILD)/libstance.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/fuzz $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay_main.c \
	  $(BUILD)/libstance-cli.a $(BUILD)/libstance.a $(LDLIBS)

fuzz-replay: $(REPLAY_BIN)
	@tests/fuzz/replay.sh $(BUILD)/fuzz-replay $(FUZZ_TARGETS)

$(FUZZ_BUILD)/obj/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(DEPS_CFLAGS) $(SVM_CFLAGS) $(LINEAR_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/libfuzz.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_HDR) $(FUZZ_BUILD)/libfuzz.a
	$(FUZZ_CC) $(CPPFLAGS) -Itests/fuzz $(FUZZ_FLAGS) -fsanitize=fuzzer $(DEPS_CFLAGS) $(SVM_CFLAGS) $(LINEAR_CFLAGS) \
	  -o $@ $< $(FUZZ_BUILD)/libfuzz.a $(LDLIBS)

fuzz-build:
	@$(MAKE) --no-print-directory $(PAR) $(FUZZ_BIN)

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-ci: fuzz-build
	@tests/fuzz/run.sh 12 $(FUZZ_TARGETS)

memcheck: all
	@tests/memcheck.sh $(BUILD)/stance

# The bundled model, rebuilt byte for byte from training-data/ (fresh
# train.tsv / test.tsv from the parts, plus the development articles'
# quotes in articles.tsv (scripts/article-rows), default parameters,
# fixed seed).
MODEL_DIR ?= models/default
model: all
	python3 scripts/split-data
	$(BUILD)/stance train training-data/train.tsv training-data/articles.tsv --holdout training-data/test.tsv \
	  --lexicon training-data/lexicon -o $(MODEL_DIR)

# The main job on the bundled (invented) sample: every quote with its
# speaker and label, then the tone of each speaker.
# Generated corpora under $(BUILD)/bench; peers from scripts/deps --optional bench.
bench: all
	@scripts/deps --optional bench || true
	python3 scripts/bench --bin $(BUILD)/stance --dir $(BUILD)/bench

run: deps all
	$(BUILD)/stance classify --format table samples/summit.txt
	$(BUILD)/stance report samples/summit.txt

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/stance
	install -m 755 $(BUILD)/stance $(DESTDIR)$(PREFIX)/bin/stance
	install -m 644 $(BUILD)/libstance.a $(DESTDIR)$(PREFIX)/lib/libstance.a
	install -m 644 src/stance.h $(DESTDIR)$(PREFIX)/include/stance.h
	sed 's|/usr/local/share/stance|$(PREFIX)/share/stance|g' docs/stance.1 >$(DESTDIR)$(PREFIX)/share/man/man1/stance.1
	chmod 644 $(DESTDIR)$(PREFIX)/share/man/man1/stance.1
	if [ -d models/default ]; then cp -R models/default $(DESTDIR)$(PREFIX)/share/stance/; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/stance $(DESTDIR)$(PREFIX)/lib/libstance.a \
	  $(DESTDIR)$(PREFIX)/include/stance.h $(DESTDIR)$(PREFIX)/share/man/man1/stance.1
	rm -rf $(DESTDIR)$(PREFIX)/share/stance

clean:
	rm -rf $(BUILD) build
