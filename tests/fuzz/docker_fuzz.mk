# docker_fuzz.mk: libFuzzer targets of the Docker Engine API client (src/docker). Included by
# tests/fuzz/fuzz.mk (FUZZ_FLAGS, FUZZ_NEED_CXX are defined there).
