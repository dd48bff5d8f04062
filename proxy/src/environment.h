// The process environment as a name -> value map, so configuration loaders
// can be tested with a made-up environment. Reads `environ`; call at start.
#pragma once

#include <map>
#include <string>

namespace gsp::proxy {

std::map<std::string, std::string> processEnvironment();

}  // namespace gsp::proxy
