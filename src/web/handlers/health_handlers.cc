// A health check for load balancers and the run/test scripts: answers 200 only
// when the database answers too.
#include "web/handlers/handlers.h"

namespace gsp::web::handlers {

Response health(Context& ctx) {
  auto rs = ctx.db.sql("SELECT 1").rows();
  rs->next();
  return Response::json(200, "{\"status\":\"ok\",\"database\":\"up\"}");
}

}  // namespace gsp::web::handlers
