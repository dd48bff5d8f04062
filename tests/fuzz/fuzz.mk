# fuzz.mk: the libFuzzer targets (needs clang: apt-get install clang
# libclang-rt-14-dev). `make fuzz` builds every target into fuzz/; scripts/test.sh
# runs each tests/fuzz/NAME_fuzzer.cc's target on its seed corpus
# (tests/fuzz/corpus/NAME) for a bounded time. Included by Makefile.am; paths
# are relative to the top directory. The web tier's targets are in
# web_fuzz.mk, the Docker client's in docker_fuzz.mk.
FUZZ_CXX = clang++
FUZZ_FLAGS = -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I$(top_srcdir)/src $(BOOST_CPPFLAGS)
FUZZ_TARGETS = \
	fuzz/agent_request_fuzzer \
	fuzz/minecraft_greeter_fuzzer \
	fuzz/query_codec_fuzzer
FUZZ_NEED_CXX = @command -v $(FUZZ_CXX) >/dev/null || \
	{ echo "$(FUZZ_CXX) not found: apt-get install clang libclang-rt-14-dev"; exit 1; }
fuzz/agent_request_fuzzer: $(srcdir)/tests/fuzz/agent_request_fuzzer.cc $(srcdir)/src/agentapi/agent_protocol.cc \
		$(srcdir)/src/agentapi/agent_protocol.h
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_FLAGS) -o $@ \
	  $(srcdir)/tests/fuzz/agent_request_fuzzer.cc $(srcdir)/src/agentapi/agent_protocol.cc

# The proxy's parsers: its sources include each other as "name.h".
FUZZ_PROXY_FLAGS = $(FUZZ_FLAGS) -I$(top_srcdir)/proxy/src
# The Minecraft codec escapes its JSON with the webhook code (jsonString), which
# brings the HMAC (libcrypto) and the config's names (Boost.Program_options) along.
FUZZ_MINECRAFT_GREETER_CC = \
	$(srcdir)/tests/fuzz/minecraft_greeter_fuzzer.cc \
	$(srcdir)/proxy/src/hmac_sha256.cc \
	$(srcdir)/proxy/src/minecraft_codec.cc \
	$(srcdir)/proxy/src/minecraft_greeter.cc \
	$(srcdir)/proxy/src/option_sources.cc \
	$(srcdir)/proxy/src/proxy_config.cc \
	$(srcdir)/proxy/src/webhook_request.cc \
	$(srcdir)/src/core/log.cc
FUZZ_MINECRAFT_GREETER_H = \
	$(srcdir)/proxy/src/hmac_sha256.h \
	$(srcdir)/proxy/src/minecraft_codec.h \
	$(srcdir)/proxy/src/minecraft_greeter.h \
	$(srcdir)/proxy/src/option_sources.h \
	$(srcdir)/proxy/src/proxy_config.h \
	$(srcdir)/proxy/src/webhook_request.h \
	$(srcdir)/src/core/log.h
fuzz/minecraft_greeter_fuzzer: $(FUZZ_MINECRAFT_GREETER_CC) $(FUZZ_MINECRAFT_GREETER_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_PROXY_FLAGS) -o $@ $(FUZZ_MINECRAFT_GREETER_CC) \
	  $(OPENSSL_LIBS) $(BOOST_LDFLAGS) $(BOOST_PROGRAM_OPTIONS_LIB)
FUZZ_QUERY_CODEC_CC = \
	$(srcdir)/tests/fuzz/query_codec_fuzzer.cc \
	$(srcdir)/proxy/src/a2s_codec.cc \
	$(srcdir)/proxy/src/query_responder.cc \
	$(srcdir)/proxy/src/satisfactory_query.cc \
	$(srcdir)/proxy/src/socket_address.cc
FUZZ_QUERY_CODEC_H = \
	$(srcdir)/proxy/src/a2s_codec.h \
	$(srcdir)/proxy/src/proxy_config.h \
	$(srcdir)/proxy/src/query_responder.h \
	$(srcdir)/proxy/src/satisfactory_query.h \
	$(srcdir)/proxy/src/socket_address.h \
	$(srcdir)/proxy/src/unique_fd.h \
	$(srcdir)/src/core/status.h \
	$(srcdir)/src/core/unique_fd.h
fuzz/query_codec_fuzzer: $(FUZZ_QUERY_CODEC_CC) $(FUZZ_QUERY_CODEC_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_PROXY_FLAGS) -o $@ $(FUZZ_QUERY_CODEC_CC)
.PHONY: fuzz
include $(srcdir)/tests/fuzz/web_fuzz.mk
include $(srcdir)/tests/fuzz/docker_fuzz.mk
# After the includes: a rule's prerequisites are expanded when it is read.
fuzz: $(FUZZ_TARGETS)
CLEANFILES += $(FUZZ_TARGETS)
