// A server's backups: take one, restore, lock and unlock, delete, download.
// Every route first finds the server as the signed-in user may see it, then
// the backup among that server's: another user's backup is 404 everywhere.
// Taking, restoring and deleting are jobs for the agent; a local download is
// handed to nginx, which streams the file (length, ranges) from its internal
// location, and a Cloud Storage one goes to a URL the agent signs.

#include "core/clock_text.h"
#include "db/backup_repository.h"
#include "db/catalog_repository.h"
#include "domain/backup_file_name.h"
#include "domain/server_state.h"
#include "web/handlers/handlers.h"
#include "web/pages.h"

namespace gsp::web::handlers {

namespace {

using domain::ServerState;

std::string serverPage(int64_t id) { return "/servers/" + std::to_string(id) + "#backups"; }

// The path's {bid} when it is one of this server's backups.
std::optional<db::Backup> loadBackup(Context& ctx, const db::ServerRecord& server) {
  std::optional<db::Backup> b = db::BackupRepository(ctx.db).find(std::stoll(ctx.request.pathParam("bid")));
  if (!b || b->server_id != server.id) return std::nullopt;
  return b;
}

}  // namespace

Response createBackup(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  const std::string here = serverPage(s->id);
  if (s->state == ServerState::kCreating || s->state == ServerState::kDeleting)
    return ctx.redirectWithFlash(here, "error", domain::refusal("back up", s->state));
  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).find(s->game_image_id);
  if (!game) return pages::notFound(ctx);
  db::BackupRepository backups(ctx.db);
  if (backups.anyInProgress(s->id))
    return ctx.redirectWithFlash(here, "error", "A backup of this server is being taken; wait until it is done.");
  // A manual backup at the limit is refused, saying which one could go.
  if (backups.countKept(s->id) >= game->backup_limit) {
    std::optional<db::Backup> oldest = backups.oldestUnlocked(s->id);
    std::string which = oldest ? "for example the oldest unlocked one, from " + oldest->created_at + " UTC"
                               : "all of them are locked: unlock one first";
    return ctx.redirectWithFlash(here, "error", "This server keeps at most " + std::to_string(game->backup_limit) +
                                                    " backups. Delete one before taking another (" + which + ").");
  }
  const std::string& sleep_first = ctx.request.formValue("sleep_first");
  if (!sleep_first.empty() && sleep_first != "1") return ctx.redirectWithFlash(here, "error", "Choose whether it sleeps first.");
  int64_t id = backups.create(s->id, "MANUAL", ctx.user->id, sleep_first == "1");
  Status queued = ctx.servers->backUp(s->id, id, {ctx.user->id, "backup requested by " + ctx.user->email});
  if (!queued.isOk()) {
    backups.fail(id, queued.message());
    return ctx.redirectWithFlash(here, "error", queued.message());
  }
  return ctx.redirectWithFlash(here, "success",
                               std::string(sleep_first == "1" && domain::isBilled(s->state)
                                               ? "Putting the server to sleep, then backing up"
                                               : "Backing up") +
                                   ": the list below shows its progress.");
}

Response restoreBackup(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::optional<db::Backup> b = loadBackup(ctx, *s);
  if (!b) return pages::notFound(ctx);
  const std::string here = serverPage(s->id);
  if (b->state != "DONE") return ctx.redirectWithFlash(here, "error", "Only a finished backup can be restored.");
  Status queued = ctx.servers->restore(s->id, b->id, {ctx.user->id, "restore requested by " + ctx.user->email});
  if (!queued.isOk()) return ctx.redirectWithFlash(here, "error", queued.message());
  bool awake = s->state == ServerState::kRunning || s->state == ServerState::kStarting;
  return ctx.redirectWithFlash(here, "success",
                               std::string(awake ? "Putting the server to sleep, then restoring"
                                                 : "Restoring") +
                                   " the backup of " + b->created_at + " UTC.");
}

static Response setLock(Context& ctx, bool locked) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::optional<db::Backup> b = loadBackup(ctx, *s);
  if (!b) return pages::notFound(ctx);
  db::BackupRepository(ctx.db).setLocked(b->id, locked);
  return ctx.redirectWithFlash(serverPage(s->id), "success",
                               locked ? "Locked: rotation never removes this backup."
                                      : "Unlocked: rotation may remove this backup when it is the oldest.");
}

Response lockBackup(Context& ctx) { return setLock(ctx, true); }
Response unlockBackup(Context& ctx) { return setLock(ctx, false); }

Response deleteBackup(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::optional<db::Backup> b = loadBackup(ctx, *s);
  if (!b) return pages::notFound(ctx);
  const std::string here = serverPage(s->id);
  if (b->state == "RUNNING") return ctx.redirectWithFlash(here, "error", "This backup is being taken; delete it when it is done.");
  if (b->locked) return ctx.redirectWithFlash(here, "error", "This backup is locked; unlock it first.");
  Status queued = ctx.servers->deleteBackup(s->id, b->id, {ctx.user->id, "backup deleted by " + ctx.user->email});
  if (!queued.isOk()) return ctx.redirectWithFlash(here, "error", queued.message());
  return ctx.redirectWithFlash(here, "success", "Deleting the backup of " + b->created_at + " UTC.");
}

Response saveBackupSchedule(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  const std::string here = serverPage(s->id);
  const std::string& on_sleep = ctx.request.formValue("on_sleep");
  const std::string& hour = ctx.request.formValue("daily_hour");
  if (!on_sleep.empty() && on_sleep != "1") return ctx.redirectWithFlash(here, "error", "Choose whether to back up on sleep.");
  int daily = -1;
  if (hour != "off") {
    bool digits = !hour.empty() && hour.size() <= 2 && hour.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(hour) > 23)
      return ctx.redirectWithFlash(here, "error", "Choose an hour from 00 to 23 (UTC) for the daily backup, or off.");
    daily = std::stoi(hour);
  }
  db::ServerRepository(ctx.db).setBackupSchedule(s->id, on_sleep == "1", daily);
  std::string said = std::string(on_sleep == "1" ? "Backed up when it goes to sleep" : "Not backed up on sleep") +
                     (daily >= 0 ? "; daily at " + std::string(daily < 10 ? "0" : "") + std::to_string(daily) + ":00 UTC."
                                 : "; no daily backup.");
  return ctx.redirectWithFlash(here, "success", said);
}

Response downloadBackup(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::optional<db::Backup> b = loadBackup(ctx, *s);
  if (!b || b->state != "DONE") return pages::notFound(ctx);
  if (b->target != "local") {
    // Cloud Storage serves it from a URL the agent signs (the web tier holds
    // no key): length, ranges and the file name come from the service.
    Result<std::string> url = ctx.servers->backupDownloadUrl(s->id, b->id);
    if (!url.isOk()) return ctx.redirectWithFlash(serverPage(s->id), "error", url.status().message());
    Response r = Response::redirect(url.value());
    r.addHeader("Cache-Control", "private, no-store");
    return r;
  }
  // nginx serves the file: its length, Range requests, no copy through gsp-web.
  Response r = Response::html(200, "");
  r.content_type = "application/gzip";
  r.addHeader("X-Accel-Redirect", "/_backups/" + b->object_name);
  r.addHeader("Content-Disposition", "attachment; filename=\"" + domain::backupFileName(s->name, b->created_at) + "\"");
  r.addHeader("Cache-Control", "private, no-store");
  return r;
}

}  // namespace gsp::web::handlers
