# Automake fragment of the Docker Engine API client (src/docker) and its tests
# (tests/docker), included at the end of the top-level Makefile.am. Paths are
# relative to the top folder.

# ---- the client, part of libgspdocker.a ----
libgspdocker_a_SOURCES += \
	src/docker/api_version.cc \
	src/docker/api_version.h \
	src/docker/container_info.cc \
	src/docker/container_info.h \
	src/docker/container_spec.cc \
	src/docker/container_spec.h \
	src/docker/container_stats.cc \
	src/docker/container_stats.h \
	src/docker/curl_handles.h \
	src/docker/curl_unix_transport.cc \
	src/docker/curl_unix_transport.h \
	src/docker/docker_client.cc \
	src/docker/docker_client.h \
	src/docker/docker_error.cc \
	src/docker/docker_error.h \
	src/docker/docker_transport.h \
	src/docker/engine_objects.cc \
	src/docker/engine_objects.h \
	src/docker/image_pull.cc \
	src/docker/image_pull.h \
	src/docker/json_fields.cc \
	src/docker/json_fields.h \
	src/docker/label_filter.h \
	src/docker/log_stream.cc \
	src/docker/log_stream.h \
	src/docker/query_string.cc \
	src/docker/query_string.h

# ---- tests ----
# docker_unit_tests: no services; faults come from a fake engine on a unix
# socket inside the test process. docker_integration_tests: against the real
# engine at /var/run/docker.sock (scripts/test.sh starts it and builds the
# test image with tests/docker/build_test_image.sh).
check_PROGRAMS += tests/docker/docker_unit_tests tests/docker/docker_integration_tests
TESTS += tests/docker/docker_unit_tests

tests_docker_docker_unit_tests_SOURCES = \
	tests/docker/api_version_test.cc \
	tests/docker/container_info_test.cc \
	tests/docker/container_spec_test.cc \
	tests/docker/container_stats_test.cc \
	tests/docker/docker_client_fault_test.cc \
	tests/docker/docker_error_test.cc \
	tests/docker/fake_docker_server.cc \
	tests/docker/fake_docker_server.h \
	tests/docker/image_pull_test.cc \
	tests/docker/log_stream_test.cc \
	tests/test_main.cc
tests_docker_docker_unit_tests_CXXFLAGS = $(AM_CXXFLAGS) $(CPPUNIT_CFLAGS)
tests_docker_docker_unit_tests_LDADD = $(GSP_DOCKER_LIBS) $(GSP_CORE_LIBS) $(CPPUNIT_LIBS)

tests_docker_docker_integration_tests_SOURCES = \
	tests/docker/docker_integration_test.cc \
	tests/test_main.cc
tests_docker_docker_integration_tests_CXXFLAGS = $(AM_CXXFLAGS) $(CPPUNIT_CFLAGS)
tests_docker_docker_integration_tests_LDADD = $(GSP_DOCKER_LIBS) $(GSP_CORE_LIBS) $(CPPUNIT_LIBS)

EXTRA_DIST += tests/docker/build_test_image.sh
