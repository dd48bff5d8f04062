// The stock error pages (400, 403, 404, 405, 413, 500, 503), rendered in the
// site's layout so an error still looks like the product.
#pragma once

#include <string>

#include "web/context.h"
#include "web/response.h"
#include "web/views.h"

namespace gsp::web::pages {

// A full error page for `status`; `message` replaces the stock explanation when given.
Response error(const Context& ctx, int status, const std::string& message = "");
// For failures before a Context exists (unparseable request, database down).
Response bareError(const Views& views, int status, const std::string& message = "");

inline Response notFound(const Context& ctx) { return error(ctx, 404); }

}  // namespace gsp::web::pages
