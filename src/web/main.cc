// gsp-web: the platform's FastCGI application, run behind nginx.
#include <ctemplate/template.h>
#include <malloc.h>

#include <cstdio>
#include <exception>

#include "agentapi/agent_operations.h"
#include "core/config.h"
#include "core/log.h"
#include "web/app.h"
#include "web/fcgi_server.h"
#include "web/views.h"

int main(int argc, char** argv, char** envp) {
  gsp::ConfigLoad load = gsp::loadConfig(argc, argv, envp, nullptr, gsp::ConfigFor::kWeb);
  if (load.outcome == gsp::ConfigLoad::Outcome::kHelp) {
    printf("Usage: gsp-web [options]\n\n%s", load.text.c_str());
    return 0;
  }
  if (load.outcome == gsp::ConfigLoad::Outcome::kError) {
    fprintf(stderr, "gsp-web: %s\n", load.text.c_str());
    return 2;
  }
  const gsp::Config& config = load.config;
  // Keep freed heap memory mapped: returning it to the kernel after every
  // request costs page faults and TLB shootdowns across the worker threads.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_TOP_PAD, 4 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  gsp::log::Level level;
  gsp::log::parseLevel(config.log_level, &level);
  gsp::log::setLevel(level);

  try {
    gsp::web::Views views(config.templates_dir);
    std::string error;
    if (!views.check(&error)) {
      fprintf(stderr, "gsp-web: %s (check web.templates-dir)\n", error.c_str());
      return 1;
    }
    gsp::web::PageCache cache(config.web_page_cache_ms, 4096);
    gsp::web::App app(config, views, &cache);
    // Every act on a server is a job for gsp-agent; gsp-web never opens the Docker socket.
    gsp::web::FcgiServer server(config, app, views, [&config](gsp::db::Database& db) {
      return std::make_unique<gsp::agentapi::AgentOperations>(config, db);
    });
    return server.run();
  } catch (const std::exception& e) {
    fprintf(stderr, "gsp-web: %s\n", e.what());
    return 1;
  }
}
