// The proxy's file descriptors are owned by the platform's one UniqueFd.
#pragma once

#include "core/unique_fd.h"

namespace gsp::proxy {
using gsp::UniqueFd;
}  // namespace gsp::proxy
