// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    var label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});

// The server page: keeps the state, usage and console up to date without a reload.
(function () {
  var badge = document.getElementById("server-state");
  if (!badge) return;
  var id = badge.getAttribute("data-server-id");
  var message = document.getElementById("server-message");
  var cpu = document.getElementById("server-cpu");
  var memory = document.getElementById("server-memory");
  var logs = document.getElementById("server-logs");
  var cursor = 0;
  var firstLogs = true;

  function mib(bytes) { return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + " MiB"; }

  function showState(data) {
    var before = badge.getAttribute("data-state");
    badge.textContent = data.state;
    badge.setAttribute("data-state", data.state);
    badge.className = "state state-large state-" + data.state.toLowerCase();
    message.textContent = data.state_message || "";
    var sleep = document.getElementById("server-sleep");
    if (sleep) sleep.textContent = data.sleep_line || "";
    var job = document.getElementById("server-job");
    if (job) {
      job.textContent = data.job_line || "";
      job.hidden = !data.job_line;
      job.classList.toggle("server-job-failed", !!data.job_failed);
    }
    document.getElementById("server-players").textContent = data.players;
    showBackups(data.backups || []);
    if (data.stats && data.stats.running) {
      cpu.textContent = data.stats.cpu_percent.toFixed(1) + " %";
      memory.textContent = mib(data.stats.memory_bytes) + " of " + mib(data.stats.memory_limit_bytes);
    } else {
      cpu.textContent = data.stats_error ? "unavailable" : "idle";
      memory.textContent = data.stats_error ? "unavailable" : "–";
    }
    // The available actions change with the state: a reload shows the right ones.
    var settled = data.state === "RUNNING" || data.state === "SLEEPING" || data.state === "ERROR";
    if (before && before !== data.state && settled && !document.querySelector("details[open]")) {
      setTimeout(function () { location.reload(); }, 400);
    }
  }

  // Backups being taken: their state and bytes so far; one that ended reloads
  // the page, which then offers its download and restore.
  var backupsLive = {};
  document.querySelectorAll("tr[id^='backup-']").forEach(function (row) {
    var badge = row.querySelector(".state");
    if (badge && (badge.textContent === "QUEUED" || badge.textContent === "RUNNING")) backupsLive[row.id.slice(7)] = true;
  });
  function showBackups(live) {
    var now = {};
    live.forEach(function (b) {
      now[b.id] = true;
      var row = document.getElementById("backup-" + b.id);
      if (!row) return;
      var badge = row.querySelector(".state");
      if (badge) { badge.textContent = b.state; badge.className = "state state-" + b.state.toLowerCase(); }
      var size = row.querySelector(".backup-size");
      if (size) size.textContent = b.size;
    });
    var ended = Object.keys(backupsLive).some(function (id) { return !now[id]; });
    backupsLive = now;
    if (ended && !document.querySelector("details[open]")) setTimeout(function () { location.reload(); }, 300);
  }

  function pollStatus() {
    fetch("/servers/" + id + "/status", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) showState(data); })
      .catch(function () {})
      .then(function () { setTimeout(pollStatus, 2000); });
  }

  function pollLogs() {
    var url = "/servers/" + id + "/logs" + (cursor ? "?since=" + cursor : "?tail=200");
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { if (firstLogs) logs.textContent = data.error; return; }
        if (firstLogs) logs.textContent = data.lines.length ? "" : "No output yet. The console fills when the game runs.";
        firstLogs = false;
        var atBottom = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 4;
        data.lines.forEach(function (line) {
          if (logs.textContent.indexOf("No output yet") === 0) logs.textContent = "";
          var row = document.createElement("span");
          row.className = line.stream === "stderr" ? "log-err" : "log-out";
          row.textContent = line.time.substring(11, 19) + "  " + line.text + "\n";
          logs.appendChild(row);
        });
        if (data.cursor) cursor = data.cursor;
        if (atBottom) logs.scrollTop = logs.scrollHeight;
      })
      .catch(function () {})
      .then(function () { setTimeout(pollLogs, 2500); });
  }

  pollStatus();
  pollLogs();
})();

// The server page's charts: time labels in the reader's own zone, and a fresh
// drawing every minute (the lifecycle samples once a minute).
(function () {
  var charts = document.getElementById("server-charts");
  if (!charts) return;
  var id = charts.getAttribute("data-server-id");
  var range = charts.getAttribute("data-range");

  function localTimes() {
    var zone = "";
    try {
      // "CET", "EST" or "GMT+1": short enough for the end of the axis.
      var parts = new Intl.DateTimeFormat([], { timeZoneName: "short" }).formatToParts(new Date());
      parts.forEach(function (p) { if (p.type === "timeZoneName") zone = p.value; });
    } catch (e) {}
    charts.querySelectorAll("text.chart-time[data-unix]").forEach(function (label) {
      var d = new Date(Number(label.getAttribute("data-unix")) * 1000);
      label.textContent = range === "7d"
        ? d.toLocaleDateString([], { weekday: "short", day: "numeric" })
        : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    });
    charts.querySelectorAll("text.chart-tz").forEach(function (label) { label.textContent = zone || "local"; });
  }

  function refresh() {
    fetch("/servers/" + id + "/charts?range=" + encodeURIComponent(range), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        ["cpu", "memory", "players"].forEach(function (name) {
          var box = charts.querySelector('[data-chart="' + name + '"]');
          // Markup made and escaped by the server (chart_svg.cc), like the first drawing.
          if (box && typeof data[name] === "string") box.innerHTML = data[name];
        });
        localTimes();
      })
      .catch(function () {})
      .then(function () { setTimeout(refresh, 60000); });
  }

  localTimes();
  setTimeout(refresh, 60000);
})();

// The dashboard: state badges follow the servers as they wake and sleep.
(function () {
  var badges = document.querySelectorAll("[data-live-state]");
  if (!badges.length) return;
  function poll() {
    fetch("/dashboard/states", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        data.servers.forEach(function (s) {
          var badge = document.querySelector('[data-live-state="' + s.id + '"]');
          if (!badge || badge.textContent === s.state) return;
          badge.textContent = s.state;
          badge.className = "state state-" + s.state.toLowerCase();
        });
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
