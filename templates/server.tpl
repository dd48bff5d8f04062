{{%AUTOESCAPE context="HTML"}}
<div class="page-head">
  <div>
    <p class="eyebrow">{{GAME}}</p>
    <h1>{{NAME}}</h1>
  </div>
  <span id="server-state" class="state state-{{STATE_CLASS}} state-large" data-server-id="{{ID}}" data-state="{{STATE}}" role="status" aria-live="polite">{{STATE}}</span>
</div>
<p id="server-message" class="server-message">{{STATE_MESSAGE}}</p>
<p id="server-sleep" class="server-sleep">{{SLEEP_LINE}}</p>
<p id="server-job" class="server-job{{#JOB_FAILED}} server-job-failed{{/JOB_FAILED}}" role="status" aria-live="polite"{{#NO_JOB}} hidden{{/NO_JOB}}>{{JOB_LINE}}</p>
<div class="grid-2">
  <section class="card" aria-labelledby="connect-heading">
    <h2 id="connect-heading">Connect</h2>
    {{#HAS_ADDRESS}}<p><code class="address address-large" id="server-address">{{ADDRESS}}</code> <button type="button" class="button button-small copy" data-copy="{{ADDRESS}}">Copy</button></p>{{/HAS_ADDRESS}}
    {{#NO_ADDRESS}}<p class="muted">No address assigned.</p>{{/NO_ADDRESS}}
    <ul class="plain-list">{{#PORT}}<li>{{PORT_LINE}}</li>{{/PORT}}</ul>
    <p class="hint">Asleep? Just connect: the server wakes up and lets you in once it is ready.</p>
  </section>
  <section class="card" aria-labelledby="usage-heading">
    <h2 id="usage-heading">Usage</h2>
    <dl class="facts">
      <div><dt>CPU</dt><dd id="server-cpu">–</dd></div>
      <div><dt>Memory</dt><dd id="server-memory">–</dd></div>
      <div><dt>Cost while running</dt><dd>{{PRICE}}/hour</dd></div>
      <div><dt>Paid until</dt><dd id="server-paid-until">{{PAID_UNTIL}}</dd></div>
      <div><dt>Charged this month</dt><dd>{{MONTH_CHARGES}}</dd></div>
      <div><dt>Limits</dt><dd>{{RAM_MB}} MB · {{CPUS}} CPU</dd></div>
      <div><dt>Sleeps after</dt><dd>{{IDLE_MINUTES}} idle minutes</dd></div>
      <div><dt>Players connected</dt><dd id="server-players">{{LIVE_CLIENTS}}</dd></div>
      <div><dt>Last player traffic</dt><dd>{{LAST_ACTIVITY}}</dd></div>
    </dl>
  </section>
</div>
<section class="card" id="activity" aria-labelledby="activity-heading">
  <div class="card-head">
    <h2 id="activity-heading">Activity</h2>
    <nav class="range-tabs" aria-label="Period">{{#CHART_RANGE}}{{#RANGE_CURRENT}}<span class="range-tab range-tab-current" aria-current="true">{{RANGE}}</span>{{/RANGE_CURRENT}}{{#RANGE_OTHER}}<a class="range-tab" href="/servers/{{ID}}?range={{RANGE}}#activity">{{RANGE}}</a>{{/RANGE_OTHER}}{{/CHART_RANGE}}</nav>
  </div>
  <div id="server-charts" class="charts" data-server-id="{{ID}}" data-range="{{CHART_RANGE_NOW}}">
    <figure class="chart"><figcaption>CPU (100 % = one core)</figcaption><div class="chart-svg" data-chart="cpu">{{CPU_CHART:none}}</div></figure>
    <figure class="chart"><figcaption>Memory</figcaption><div class="chart-svg" data-chart="memory">{{MEMORY_CHART:none}}</div></figure>
    <figure class="chart"><figcaption>Players</figcaption><div class="chart-svg" data-chart="players">{{PLAYERS_CHART:none}}</div></figure>
  </div>
  <table class="cost-days">
    <caption>The last 7 days (UTC): hours run and credits charged</caption>
    <tr><th scope="row">Day</th>{{#COST_DAY}}<td>{{DAY}}</td>{{/COST_DAY}}</tr>
    <tr><th scope="row">Hours</th>{{#COST_DAY}}<td>{{HOURS}}</td>{{/COST_DAY}}</tr>
    <tr><th scope="row">Charged</th>{{#COST_DAY}}<td>{{CHARGED}}</td>{{/COST_DAY}}</tr>
  </table>
</section>
<section class="card actions" aria-labelledby="actions-heading">
  <h2 id="actions-heading">Actions</h2>
  <div class="action-row">
    {{#CAN_WAKE}}<form method="post" action="/servers/{{ID}}/wake"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button button-primary" type="submit">{{WAKE_LABEL}}</button></form>{{/CAN_WAKE}}
    {{#CAN_KEEP_AWAKE}}<form method="post" action="/servers/{{ID}}/keep-awake"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button" type="submit">Keep awake 30 min longer</button></form>{{/CAN_KEEP_AWAKE}}
    {{#CAN_HIBERNATE}}<form method="post" action="/servers/{{ID}}/hibernate"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button" type="submit">Put to sleep</button></form>{{/CAN_HIBERNATE}}
  </div>
  {{#CAN_DELETE}}
  <details class="danger-zone">
    <summary>Delete this server</summary>
    <form method="post" action="/servers/{{ID}}/delete" class="form">
      <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
      <label for="confirm-name">Type the server's name, <strong>{{NAME}}</strong>, to delete it, its world and its backups for good</label>
      <input id="confirm-name" name="confirm_name" type="text" required autocomplete="off">
      <div><button class="button button-danger" type="submit">Delete server</button></div>
    </form>
  </details>
  {{/CAN_DELETE}}
</section>
<section class="card" id="backups" aria-labelledby="backups-heading">
  <div class="card-head">
    <h2 id="backups-heading">Backups</h2>
    {{#CAN_BACK_UP}}<form method="post" action="/servers/{{ID}}/backups" class="backup-now"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><label><input type="checkbox" name="sleep_first" value="1"> Sleep first (a consistent copy)</label> <button class="button" type="submit">Back up now</button></form>{{/CAN_BACK_UP}}
  </div>
  <p class="hint">The server's data, compressed. It keeps at most {{BACKUP_LIMIT}}: an automatic backup at the limit removes the oldest unlocked one first, a manual one asks you to delete one. Locked backups are never removed. A backup taken while the game runs is a live copy.</p>
  <form method="post" action="/servers/{{ID}}/backup-schedule" class="backup-schedule">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label><input type="checkbox" name="on_sleep" value="1"{{#BACKUP_ON_SLEEP}} checked{{/BACKUP_ON_SLEEP}}> Back up when it goes to sleep</label>
    <label for="daily-hour">Daily backup</label>
    <select id="daily-hour" name="daily_hour">{{#DAILY_HOUR}}<option value="{{HOUR_VALUE}}"{{#HOUR_SELECTED}} selected{{/HOUR_SELECTED}}>{{HOUR_LABEL}}</option>{{/DAILY_HOUR}}</select>
    <button class="button button-small" type="submit">Save</button>
  </form>
  {{#NO_BACKUPS}}<p class="muted">No backups yet.</p>{{/NO_BACKUPS}}
  <table class="backups">
    {{#BACKUP}}<tr id="backup-{{BACKUP_ID}}">
      <td><time>{{BACKUP_WHEN}} UTC</time><br><span class="muted">{{BACKUP_REASON}} · {{BACKUP_TARGET}}{{#BACKUP_LIVE}} · taken while running{{/BACKUP_LIVE}}{{#BACKUP_LOCKED}} · locked{{/BACKUP_LOCKED}}</span></td>
      <td><span class="state state-{{BACKUP_STATE_CLASS}}">{{BACKUP_STATE}}</span>{{#HAS_BACKUP_MESSAGE}}<br><span class="backup-message">{{BACKUP_MESSAGE}}</span>{{/HAS_BACKUP_MESSAGE}}</td>
      <td class="backup-size">{{BACKUP_SIZE}}</td>
      <td><div class="action-row">
        {{#BACKUP_DONE}}<a class="button button-small" href="/servers/{{ID}}/backups/{{BACKUP_ID}}/download">Download</a>
        <form method="post" action="/servers/{{ID}}/backups/{{BACKUP_ID}}/restore"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button button-small" type="submit">{{RESTORE_LABEL}}</button></form>{{/BACKUP_DONE}}
        {{#BACKUP_UNLOCKED}}<form method="post" action="/servers/{{ID}}/backups/{{BACKUP_ID}}/lock"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button button-small" type="submit">Lock</button></form>{{/BACKUP_UNLOCKED}}
        {{#BACKUP_LOCKED}}<form method="post" action="/servers/{{ID}}/backups/{{BACKUP_ID}}/unlock"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button button-small" type="submit">Unlock</button></form>{{/BACKUP_LOCKED}}
        {{#BACKUP_DELETABLE}}<form method="post" action="/servers/{{ID}}/backups/{{BACKUP_ID}}/delete"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button button-small button-danger" type="submit">Delete</button></form>{{/BACKUP_DELETABLE}}
      </div></td>
    </tr>{{/BACKUP}}
  </table>
</section>
<section class="card" aria-labelledby="logs-heading">
  <h2 id="logs-heading">Console</h2>
  <pre id="server-logs" class="logs" data-server-id="{{ID}}" tabindex="0" aria-label="Server console output">Loading…</pre>
</section>
<section class="card" aria-labelledby="events-heading">
  <h2 id="events-heading">History</h2>
  {{#NO_EVENTS}}<p class="muted">Nothing has happened yet.</p>{{/NO_EVENTS}}
  <ol class="timeline">
    {{#EVENT}}<li><time>{{WHEN}} UTC</time> <span class="muted">{{FROM}} → </span><strong>{{TO}}</strong> · {{CAUSE}}{{#HAS_DETAIL}}<details class="event-detail"><summary>Last lines of the console</summary><pre class="logs">{{DETAIL}}</pre></details>{{/HAS_DETAIL}}</li>{{/EVENT}}
  </ol>
  <p class="hint">Created {{CREATED_AT}} UTC.</p>
</section>
