// Billing: the balance, the ledger (newest first, paginated) and mock deposits.
#include <algorithm>
#include <ctime>

#include "core/clock_text.h"
#include "core/money.h"
#include "db/ledger_repository.h"
#include "web/handlers/handlers.h"
#include "web/pages.h"
#include "web/security.h"

namespace gsp::web::handlers {

namespace {

// Parses ?page=N; anything else is page 1.
int requestedPage(const std::string& text) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return 1;
  return std::max(1, std::stoi(text));
}

Response renderBilling(Context& ctx, int status, int page_number, const std::string& amount,
                       const std::string& error) {
  const int per_page = ctx.config.billing_page_size;
  db::LedgerRepository::Page rows = db::LedgerRepository(ctx.db).page(ctx.user->id, (page_number - 1) * per_page, per_page);
  BillingPage page;
  page.total_entries = rows.total;
  page.pages = std::max<int64_t>(1, (rows.total + per_page - 1) / per_page);
  if (page_number > page.pages) {
    // Past the end (an old link, a typed URL): show the last page instead.
    page_number = page.pages;
    rows = db::LedgerRepository(ctx.db).page(ctx.user->id, (page_number - 1) * per_page, per_page);
  }
  page.page = page_number;
  for (const db::LedgerEntry& e : rows.entries) {
    page.entries.push_back({e.created_at, e.type, e.description, e.amount_cents, e.balance_after_cents});
  }
  for (const auto& d : db::LedgerRepository(ctx.db).chargesByServerAndDay(ctx.user->id, utcMonthStart(time(nullptr))))
    page.daily_charges.push_back({d.day, d.server_name, d.hours, d.cents});
  // The balance was read with the session, in the same request.
  page.balance_cents = ctx.user->credits_cents;
  page.max_deposit_cents = ctx.config.billing_max_deposit_cents;
  page.deposits_enabled = ctx.config.billing_mock_deposits;
  page.idempotency_key = newToken().substr(0, 32);
  page.amount = amount;
  page.error = error;
  return Response::html(status, ctx.views.billing(ctx.layout("Billing", "billing"), page));
}

bool wellFormedKey(const std::string& key) {
  return key.size() == 32 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

Response billing(Context& ctx) {
  return renderBilling(ctx, 200, requestedPage(ctx.request.queryValue("page")), "", "");
}

Response addFunds(Context& ctx) {
  // Test deposits credit without payment: only where the operator turned them on.
  if (!ctx.config.billing_mock_deposits) return pages::notFound(ctx);
  const std::string& amount_text = ctx.request.formValue("amount");
  Result<int64_t> amount = money::parseWholeAmount(amount_text, ctx.config.billing_max_deposit_cents);
  if (!amount.isOk()) return renderBilling(ctx, 422, 1, amount_text, amount.status().message());
  const std::string& key = ctx.request.formValue("idempotency_key");
  if (!wellFormedKey(key)) return renderBilling(ctx, 422, 1, amount_text, "The form expired. Please submit it again.");

  db::DepositOutcome outcome = db::LedgerRepository(ctx.db).deposit(ctx.user->id, amount.value(), key);
  if (!outcome.applied) {
    return ctx.redirectWithFlash("/billing", "info", "That payment was already recorded; it was not added twice.");
  }
  return ctx.redirectWithFlash("/billing", "success",
                               "Added " + money::format(amount.value()) + ". Your balance is " +
                                   money::format(outcome.balance_cents) + ".");
}

}  // namespace gsp::web::handlers
