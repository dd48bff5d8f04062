#include "option_sources.h"

#include <cctype>
#include <sstream>
#include <vector>

namespace gsp::proxy {

namespace po = boost::program_options;

std::string environmentName(const std::string& prefix, const std::string& option) {
  std::string out = prefix;
  for (char c : option) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

OptionsOutcome parseFlagsAndEnvironment(const po::options_description& desc, int argc, const char* const* argv,
                                        const std::map<std::string, std::string>& env, const std::string& prefix,
                                        std::string* message) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    // The environment as flags of lower precedence: store() keeps the first value seen.
    std::vector<std::string> env_args;
    for (const auto& opt : desc.options()) {
      const std::string& name = opt->long_name();
      if (name == "help") continue;
      std::string var = environmentName(prefix, name);
      auto it = env.find(var);
      if (it == env.end()) continue;
      if (opt->semantic()->max_tokens() == 0) {  // a switch
        const std::string& v = it->second;
        if (v == "1" || v == "true" || v == "yes" || v == "on") env_args.push_back("--" + name);
        else if (!(v == "0" || v == "false" || v == "no" || v == "off" || v.empty()))
          throw po::error(var + ": '" + v + "' is not a boolean");
        continue;
      }
      env_args.push_back("--" + name + "=" + it->second);
    }
    po::store(po::command_line_parser(env_args).options(desc).run(), vm);
    if (vm.count("help")) {
      std::ostringstream s;
      s << desc;
      *message = s.str();
      return OptionsOutcome::kHelp;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    *message = e.what();
    return OptionsOutcome::kError;
  }
  return OptionsOutcome::kParsed;
}

}  // namespace gsp::proxy
