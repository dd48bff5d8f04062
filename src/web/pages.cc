#include "web/pages.h"

namespace gsp::web::pages {

namespace {

ErrorPage stockPage(int status, const std::string& message) {
  ErrorPage p;
  p.status = status;
  switch (status) {
    case 400: p.heading = "Bad request"; p.message = "The request could not be understood."; break;
    case 403: p.heading = "Forbidden"; p.message = "This request was refused. If you submitted a form, reload the page and try again."; break;
    case 404: p.heading = "Page not found"; p.message = "There is nothing here. Check the address, or go back to your dashboard."; break;
    case 405: p.heading = "Method not allowed"; p.message = "This address does not accept that kind of request."; break;
    case 413: p.heading = "Too large"; p.message = "The data sent was larger than this site accepts."; break;
    case 414: p.heading = "Address too long"; p.message = "The address of the request was longer than this site accepts."; break;
    case 503: p.heading = "Temporarily unavailable"; p.message = "A service this page needs is not answering. Please try again in a moment."; break;
    default: p.status = 500; p.heading = "Something went wrong"; p.message = "An unexpected error happened on our side. It has been logged."; break;
  }
  if (!message.empty()) p.message = message;
  return p;
}

}  // namespace

Response error(const Context& ctx, int status, const std::string& message) {
  ErrorPage page = stockPage(status, message);
  Response r = Response::html(page.status, ctx.views.error(ctx.layout(page.heading), page));
  return r;
}

Response bareError(const Views& views, int status, const std::string& message) {
  ErrorPage page = stockPage(status, message);
  LayoutModel layout;
  layout.title = page.heading;
  return Response::html(page.status, views.error(layout, page));
}

}  // namespace gsp::web::pages
