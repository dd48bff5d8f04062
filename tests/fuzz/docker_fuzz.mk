# docker_fuzz.mk: libFuzzer targets of the Docker Engine API client (src/docker). Included by
# tests/fuzz/fuzz.mk (FUZZ_FLAGS, FUZZ_NEED_CXX are defined there).

# The log stream demultiplexer and its RFC 3339 parser.
FUZZ_TARGETS += fuzz/log_stream_fuzzer
FUZZ_LOG_STREAM_CC = \
	$(srcdir)/tests/fuzz/log_stream_fuzzer.cc \
	$(srcdir)/src/docker/docker_error.cc \
	$(srcdir)/src/docker/log_stream.cc
FUZZ_LOG_STREAM_H = \
	$(srcdir)/src/core/status.h \
	$(srcdir)/src/docker/docker_error.h \
	$(srcdir)/src/docker/log_stream.h
fuzz/log_stream_fuzzer: $(FUZZ_LOG_STREAM_CC) $(FUZZ_LOG_STREAM_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_FLAGS) -o $@ $(FUZZ_LOG_STREAM_CC)

# Every reader of the engine's JSON (nlohmann/json is header-only); the
# network and volume readers take their times from log_stream.cc's parser.
FUZZ_TARGETS += fuzz/engine_json_fuzzer
FUZZ_ENGINE_JSON_CC = \
	$(srcdir)/tests/fuzz/engine_json_fuzzer.cc \
	$(srcdir)/src/docker/api_version.cc \
	$(srcdir)/src/docker/container_info.cc \
	$(srcdir)/src/docker/container_stats.cc \
	$(srcdir)/src/docker/docker_error.cc \
	$(srcdir)/src/docker/engine_objects.cc \
	$(srcdir)/src/docker/image_pull.cc \
	$(srcdir)/src/docker/json_fields.cc \
	$(srcdir)/src/docker/log_stream.cc
FUZZ_ENGINE_JSON_H = \
	$(srcdir)/src/core/status.h \
	$(srcdir)/src/docker/api_version.h \
	$(srcdir)/src/docker/container_info.h \
	$(srcdir)/src/docker/container_spec.h \
	$(srcdir)/src/docker/container_stats.h \
	$(srcdir)/src/docker/docker_error.h \
	$(srcdir)/src/docker/engine_objects.h \
	$(srcdir)/src/docker/image_pull.h \
	$(srcdir)/src/docker/json_fields.h \
	$(srcdir)/src/docker/log_stream.h
fuzz/engine_json_fuzzer: $(FUZZ_ENGINE_JSON_CC) $(FUZZ_ENGINE_JSON_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_FLAGS) -o $@ $(FUZZ_ENGINE_JSON_CC)
