# Thin front door: the real build is CMake. `make test` and `make bench` work from a fresh clone.
BUILD   ?= build
RELEASE ?= build-release
ASAN    ?= build-asan
FUZZ    ?= build-fuzz
VG      ?= build-vg
FUZZ_TIME ?= 600
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
RESULTS ?= results
CMAKE_FLAGS ?=
PREFIX  ?= /usr/local

DEB_PACKAGES := cmake pkg-config g++ clang-format libbenchmark-dev libhdf5-dev hdf5-tools gnuplot-nox \
  libcunit1-dev zlib1g-dev libgc-dev libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev \
  python3-h5py python3-numpy python3-pandas valgrind clang libclang-rt-14-dev chromium \
  slurm-wlm munge parallel

.PHONY: all deps build test test-asan bench bench-full bench-python clean fuzz test-valgrind install

all: build

# Installs the Debian packages that are missing: as root, through sudo, or else prints the
# exact command and fails.
deps:
	@./scripts/install-deps.sh $(DEB_PACKAGES)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DMEMCURVE_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS)

# bench and bench-full move an earlier $(RESULTS)/ to $(RESULTS).prev/ first (scripts/bench.sh).
bench: deps
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF $(CMAKE_FLAGS)
	cmake --build $(RELEASE) -j $(JOBS)
	./scripts/bench.sh $(RELEASE) $(RESULTS)

# The Release build (the one `make bench` uses) installed under PREFIX (default /usr/local;
# DESTDIR is honoured): the library, its CMake and pkg-config packages, the memcurve command
# and its gnuplot scripts, the bench_* binaries in libexec/memcurve (cmake/memcurveInstall.cmake).
install: deps
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
	  -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)
	cmake --build $(RELEASE) -j $(JOBS)
	DESTDIR=$(DESTDIR) cmake --install $(RELEASE) --prefix $(PREFIX)

# The large sweep (memcurve's "full" suite: N = 1k..1M, 5 repetitions), same outputs as bench.
bench-full: deps
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF $(CMAKE_FLAGS)
	cmake --build $(RELEASE) -j $(JOBS)
	MEMCURVE_SUITE=full ./scripts/bench.sh $(RELEASE) $(RESULTS)

# Python's lessons alone at full size (the python-full suite: benches/python/lessons.py), into
# $(RESULTS)/python/: one results file and chart per lesson, lessons.html.
bench-python: deps
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF $(CMAKE_FLAGS)
	cmake --build $(RELEASE) -j $(JOBS)
	/usr/bin/python3 benches/python/lessons.py --suite python-full --build $(RELEASE) \
	  --out $(RESULTS)/python

# libFuzzer targets (clang): FUZZ_TIME seconds each, default 10 minutes; CI runs 30 s each.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMEMCURVE_FUZZ=ON
	cmake --build $(FUZZ) -j $(JOBS) --target fuzz_all
	./fuzz/run.sh $(FUZZ) $(FUZZ_TIME)

# The allocator, structure and collector suites of a plain build under valgrind memcheck.
test-valgrind: deps
	cmake -S . -B $(VG) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(VG) -j $(JOBS)
	./tests/reliability/valgrind.sh $(VG)

clean:
	rm -rf $(BUILD) $(RELEASE) $(ASAN) $(FUZZ) $(VG)
