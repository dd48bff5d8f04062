# web_fuzz.mk: libFuzzer targets of the web tier (src/web, src/core). Included by
# tests/fuzz/fuzz.mk (FUZZ_FLAGS, FUZZ_NEED_CXX are defined there).
