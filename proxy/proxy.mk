# proxy.mk: automake rules of the sidecar proxy (gsp-proxy), the demo game
# (gsp-demo-game), their tests and images. Included at the end of Makefile.am;
# paths are relative to the top directory. See proxy/README.md.

# ---- the proxy's code, shared by both programs and the tests ----
# It compiles the one src/core module it uses (log) itself, so it never needs the
# web tier; function sections let the linker drop what the programs do not call.
noinst_LIBRARIES += proxy/libgspproxy.a
proxy_libgspproxy_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/proxy/src
proxy_libgspproxy_a_CXXFLAGS = $(AM_CXXFLAGS) -ffunction-sections -fdata-sections
proxy_libgspproxy_a_SOURCES = \
	proxy/src/a2s_codec.cc \
	proxy/src/a2s_codec.h \
	proxy/src/activity_reporter.cc \
	proxy/src/activity_reporter.h \
	proxy/src/backend_client.cc \
	proxy/src/backend_client.h \
	proxy/src/datagram_batch.cc \
	proxy/src/datagram_batch.h \
	proxy/src/environment.cc \
	proxy/src/environment.h \
	proxy/src/event_loop.cc \
	proxy/src/event_loop.h \
	proxy/src/hmac_sha256.cc \
	proxy/src/hmac_sha256.h \
	proxy/src/hold_budget.h \
	proxy/src/http_post.cc \
	proxy/src/http_post.h \
	proxy/src/minecraft_codec.cc \
	proxy/src/minecraft_codec.h \
	proxy/src/minecraft_greeter.cc \
	proxy/src/minecraft_greeter.h \
	proxy/src/option_sources.cc \
	proxy/src/option_sources.h \
	proxy/src/proxy.cc \
	proxy/src/proxy.h \
	proxy/src/proxy_config.cc \
	proxy/src/proxy_config.h \
	proxy/src/proxy_context.h \
	proxy/src/proxy_stats.h \
	proxy/src/query_responder.cc \
	proxy/src/query_responder.h \
	proxy/src/resolver.cc \
	proxy/src/resolver.h \
	proxy/src/satisfactory_query.cc \
	proxy/src/satisfactory_query.h \
	proxy/src/scratch_buffer.h \
	proxy/src/signal_watcher.cc \
	proxy/src/signal_watcher.h \
	proxy/src/socket_address.cc \
	proxy/src/socket_address.h \
	proxy/src/tcp_listener.cc \
	proxy/src/tcp_listener.h \
	proxy/src/tcp_session.cc \
	proxy/src/tcp_session.h \
	proxy/src/tcp_worker.cc \
	proxy/src/tcp_worker.h \
	proxy/src/udp_port.cc \
	proxy/src/udp_port.h \
	proxy/src/udp_session.cc \
	proxy/src/udp_session.h \
	proxy/src/unique_fd.h \
	proxy/src/upstream_probe.cc \
	proxy/src/upstream_probe.h \
	proxy/src/upstream_view.h \
	proxy/src/upstream_waker.cc \
	proxy/src/upstream_waker.h \
	proxy/src/webhook_request.cc \
	proxy/src/webhook_request.h \
	src/core/log.cc \
	src/core/log.h \
	src/core/status.h \
	src/core/unique_fd.h

# The programs go into FROM-scratch images: libstdc++, libgcc, Boost and
# libcrypto (SHA-256 only) are linked in statically, so only glibc is needed at run time.
GSP_PROXY_STATIC_LIBS = -l:libboost_program_options.a -l:libcrypto.a $(PTHREAD_LIBS)
GSP_PROXY_LINK_FLAGS = $(AM_LDFLAGS) -static-libstdc++ -static-libgcc -Wl,--gc-sections

# ---- programs ----
sbin_PROGRAMS += proxy/gsp-proxy
proxy_gsp_proxy_CPPFLAGS = $(proxy_libgspproxy_a_CPPFLAGS)
proxy_gsp_proxy_SOURCES = proxy/src/main.cc
proxy_gsp_proxy_LDADD = proxy/libgspproxy.a $(GSP_PROXY_STATIC_LIBS)
proxy_gsp_proxy_LDFLAGS = $(GSP_PROXY_LINK_FLAGS)

# The demo game is a helper of the platform, not a command for users.
pkglibexec_PROGRAMS = proxy/gsp-demo-game
proxy_gsp_demo_game_CPPFLAGS = $(proxy_libgspproxy_a_CPPFLAGS) -I$(top_srcdir)/proxy/demo_game
proxy_gsp_demo_game_SOURCES = \
	proxy/demo_game/demo_config.cc \
	proxy/demo_game/demo_config.h \
	proxy/demo_game/echo_server.cc \
	proxy/demo_game/echo_server.h \
	proxy/demo_game/main.cc \
	proxy/demo_game/save_file.cc \
	proxy/demo_game/save_file.h
proxy_gsp_demo_game_LDADD = proxy/libgspproxy.a $(GSP_PROXY_STATIC_LIBS)
proxy_gsp_demo_game_LDFLAGS = $(GSP_PROXY_LINK_FLAGS)

# ---- tests ----
check_PROGRAMS += tests/proxy/proxy_unit_tests tests/proxy/proxy_integration_tests
TESTS += tests/proxy/proxy_unit_tests
tests_proxy_proxy_unit_tests_CPPFLAGS = $(proxy_libgspproxy_a_CPPFLAGS)
tests_proxy_proxy_unit_tests_CXXFLAGS = $(AM_CXXFLAGS) $(CPPUNIT_CFLAGS)
tests_proxy_proxy_unit_tests_SOURCES = \
	tests/proxy/a2s_codec_test.cc \
	tests/proxy/byte_string.h \
	tests/proxy/hmac_sha256_test.cc \
	tests/proxy/minecraft_codec_test.cc \
	tests/proxy/minecraft_greeter_test.cc \
	tests/proxy/proxy_config_test.cc \
	tests/proxy/satisfactory_query_test.cc \
	tests/proxy/webhook_request_test.cc \
	tests/test_main.cc \
	src/core/crypto.cc
tests_proxy_proxy_unit_tests_LDADD = proxy/libgspproxy.a $(BOOST_PROGRAM_OPTIONS_LIB) $(OPENSSL_LIBS) \
	$(PTHREAD_LIBS) $(CPPUNIT_LIBS)

tests_proxy_proxy_integration_tests_CPPFLAGS = $(proxy_libgspproxy_a_CPPFLAGS)
tests_proxy_proxy_integration_tests_CXXFLAGS = $(AM_CXXFLAGS) $(CPPUNIT_CFLAGS) \
	-DGSP_PROXY_BUILD_DIR=\"$(abs_top_builddir)/proxy\" -DGSP_PROXY_SRC_DIR=\"$(abs_top_srcdir)\"
tests_proxy_proxy_integration_tests_SOURCES = \
	tests/proxy/demo_game_test.cc \
	tests/proxy/docker_image_test.cc \
	tests/proxy/process.cc \
	tests/proxy/process.h \
	tests/proxy/proxy_harness.cc \
	tests/proxy/proxy_harness.h \
	tests/proxy/proxy_minecraft_test.cc \
	tests/proxy/proxy_tcp_test.cc \
	tests/proxy/proxy_udp_test.cc \
	tests/proxy/test_sockets.cc \
	tests/proxy/test_sockets.h \
	tests/proxy/webhook_receiver.cc \
	tests/proxy/webhook_receiver.h \
	tests/test_main.cc \
	src/core/crypto.cc
tests_proxy_proxy_integration_tests_LDADD = proxy/libgspproxy.a $(BOOST_PROGRAM_OPTIONS_LIB) $(OPENSSL_LIBS) \
	$(PTHREAD_LIBS) $(CPPUNIT_LIBS)

# ---- images: gsp-proxy:$(VERSION) and gsp-demo-game:$(VERSION), FROM scratch ----
images: proxy/gsp-proxy proxy/gsp-demo-game
	$(SHELL) $(top_srcdir)/proxy/docker/build-images.sh $(VERSION) proxy/gsp-proxy proxy/gsp-demo-game
.PHONY: images

EXTRA_DIST += \
	proxy/README.md \
	proxy/docker \
	tests/proxy/minecraft/package.json \
	tests/proxy/minecraft/minecraft.test.mjs \
	tests/proxy/minecraft/.gitignore \
	tests/proxy/queries/package.json \
	tests/proxy/queries/queries.test.mjs \
	tests/proxy/queries/.gitignore
