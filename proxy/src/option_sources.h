// Reads a program's options from its two sources, command-line flags and
// <PREFIX><NAME> environment variables (upper case, '-' as '_'), into the
// variables bound in `desc`; a flag wins over the environment. Switches take
// 1/true/yes/on or 0/false/no/off from the environment. Shared by gsp-proxy
// and gsp-demo-game. Stateless; thread-compatible.
#pragma once

#include <boost/program_options.hpp>

#include <map>
#include <string>

namespace gsp::proxy {

enum class OptionsOutcome { kParsed, kHelp, kError };

// kHelp: *message is the option list (--help was given). kError: *message
// names the bad flag or variable. kParsed: the bound variables are filled.
OptionsOutcome parseFlagsAndEnvironment(const boost::program_options::options_description& desc, int argc,
                                        const char* const* argv, const std::map<std::string, std::string>& env,
                                        const std::string& prefix, std::string* message);

// "hold-timeout" -> "GSP_PROXY_HOLD_TIMEOUT" for prefix "GSP_PROXY_".
std::string environmentName(const std::string& prefix, const std::string& option);

}  // namespace gsp::proxy
