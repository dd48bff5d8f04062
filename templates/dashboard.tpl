{{%AUTOESCAPE context="HTML"}}
<div class="page-head">
  <div>
    <h1>Your servers</h1>
    <p class="muted">Servers sleep when nobody plays and wake when someone connects.</p>
  </div>
  <a class="button button-primary" href="/servers/create">New server</a>
</div>
{{#NO_SERVERS}}
<section class="card empty-state">
  <div class="empty-icon" aria-hidden="true">◇</div>
  <h2>No servers yet</h2>
  <p class="muted">When you create a server it appears here with its address, its state and what it costs per hour while it runs.</p>
  <p><a class="button button-primary" href="/servers/create">Create your first server</a></p>
</section>
{{/NO_SERVERS}}
{{#HAS_SERVERS}}
<p class="summary">{{SERVER_COUNT}} server(s) · running now: {{HOURLY_COST}}/hour</p>
<div class="table-wrap card">
<table class="table">
  <thead><tr><th scope="col">Server</th><th scope="col">Game</th><th scope="col">State</th><th scope="col">Address</th><th scope="col" class="num">Cost</th></tr></thead>
  <tbody>
  {{#SERVER}}
  <tr>
    <td><a href="/servers/{{ID}}" class="strong">{{NAME}}</a></td>
    <td>{{GAME}}</td>
    <td><span class="state state-{{STATE_CLASS}}" data-live-state="{{ID}}">{{STATE}}</span></td>
    <td>{{#HAS_ADDRESS}}<code class="address">{{ADDRESS}}</code> <button type="button" class="button button-small copy" data-copy="{{ADDRESS}}">Copy</button><div class="hint">{{PORTS}}</div>{{/HAS_ADDRESS}}{{#NO_ADDRESS}}<span class="muted">not assigned</span>{{/NO_ADDRESS}}</td>
    <td class="num">{{PRICE}}/h</td>
  </tr>
  {{/SERVER}}
  </tbody>
</table>
</div>
{{/HAS_SERVERS}}
