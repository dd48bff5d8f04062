# web_fuzz.mk: libFuzzer targets of the web tier (src/web, src/core). Included by
# tests/fuzz/fuzz.mk (FUZZ_FLAGS, FUZZ_NEED_CXX are defined there).
# Each target links only the pure .cc files it checks: nothing here needs
# MySQL, libfcgi or a running service.

# The request parser behind the FastCGI loop, fed whole FastCGI records.
FUZZ_REQUEST_PARSER_CC = \
	$(srcdir)/tests/fuzz/request_parser_fuzzer.cc \
	$(srcdir)/src/web/request_parser.cc
FUZZ_REQUEST_PARSER_H = \
	$(srcdir)/src/web/request.h \
	$(srcdir)/src/web/request_parser.h
FUZZ_TARGETS += fuzz/request_parser_fuzzer
fuzz/request_parser_fuzzer: $(FUZZ_REQUEST_PARSER_CC) $(FUZZ_REQUEST_PARSER_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_FLAGS) -o $@ $(FUZZ_REQUEST_PARSER_CC)

# The sidecars' webhook signature, checked against the proxy's own signer
# (proxy/src/hmac_sha256.cc, a second HMAC implementation).
FUZZ_WEBHOOK_SIGNATURE_CC = \
	$(srcdir)/tests/fuzz/webhook_signature_fuzzer.cc \
	$(srcdir)/proxy/src/hmac_sha256.cc \
	$(srcdir)/src/core/crypto.cc \
	$(srcdir)/src/core/log.cc \
	$(srcdir)/src/web/webhook_signature.cc
FUZZ_WEBHOOK_SIGNATURE_H = \
	$(srcdir)/proxy/src/hmac_sha256.h \
	$(srcdir)/src/core/crypto.h \
	$(srcdir)/src/core/log.h \
	$(srcdir)/src/core/status.h \
	$(srcdir)/src/web/webhook_signature.h
FUZZ_TARGETS += fuzz/webhook_signature_fuzzer
fuzz/webhook_signature_fuzzer: $(FUZZ_WEBHOOK_SIGNATURE_CC) $(FUZZ_WEBHOOK_SIGNATURE_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_PROXY_FLAGS) -o $@ $(FUZZ_WEBHOOK_SIGNATURE_CC) \
	  $(OPENSSL_LIBS)

# The checks on single form and URL values: amounts, e-mail, the "next" path
# (through the login redirect and back) and the router's path parameters.
FUZZ_INPUT_CHECKS_CC = \
	$(srcdir)/tests/fuzz/input_checks_fuzzer.cc \
	$(srcdir)/src/core/crypto.cc \
	$(srcdir)/src/core/log.cc \
	$(srcdir)/src/core/money.cc \
	$(srcdir)/src/web/request_parser.cc \
	$(srcdir)/src/web/router.cc \
	$(srcdir)/src/web/security.cc
FUZZ_INPUT_CHECKS_H = \
	$(srcdir)/src/core/crypto.h \
	$(srcdir)/src/core/log.h \
	$(srcdir)/src/core/money.h \
	$(srcdir)/src/core/status.h \
	$(srcdir)/src/web/request.h \
	$(srcdir)/src/web/request_parser.h \
	$(srcdir)/src/web/router.h \
	$(srcdir)/src/web/security.h
FUZZ_TARGETS += fuzz/input_checks_fuzzer
fuzz/input_checks_fuzzer: $(FUZZ_INPUT_CHECKS_CC) $(FUZZ_INPUT_CHECKS_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_FLAGS) -o $@ $(FUZZ_INPUT_CHECKS_CC) $(OPENSSL_LIBS)

# The page views rendered from typed models with the real templates (ctemplate,
# no database), and the chart SVG the server page embeds unescaped.
FUZZ_VIEWS_ESCAPING_CC = \
	$(srcdir)/tests/fuzz/views_escaping_fuzzer.cc \
	$(srcdir)/src/core/money.cc \
	$(srcdir)/src/web/chart_svg.cc \
	$(srcdir)/src/web/views.cc
FUZZ_VIEWS_ESCAPING_H = \
	$(srcdir)/src/core/money.h \
	$(srcdir)/src/core/status.h \
	$(srcdir)/src/web/chart_svg.h \
	$(srcdir)/src/web/views.h \
	$(srcdir)/templates/billing.tpl \
	$(srcdir)/templates/create_server.tpl \
	$(srcdir)/templates/dashboard.tpl \
	$(srcdir)/templates/error.tpl \
	$(srcdir)/templates/layout.tpl \
	$(srcdir)/templates/login.tpl \
	$(srcdir)/templates/mock_consent.tpl \
	$(srcdir)/templates/server.tpl
FUZZ_TARGETS += fuzz/views_escaping_fuzzer
fuzz/views_escaping_fuzzer: $(FUZZ_VIEWS_ESCAPING_CC) $(FUZZ_VIEWS_ESCAPING_H)
	$(FUZZ_NEED_CXX)
	$(AM_V_GEN)$(MKDIR_P) fuzz && $(FUZZ_CXX) $(FUZZ_FLAGS) $(CTEMPLATE_CFLAGS) \
	  -DGSP_TEMPLATES_DIR='"$(abs_top_srcdir)/templates"' -o $@ $(FUZZ_VIEWS_ESCAPING_CC) $(CTEMPLATE_LIBS)
