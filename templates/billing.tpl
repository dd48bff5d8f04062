{{%AUTOESCAPE context="HTML"}}
<div class="page-head">
  <div>
    <h1>Billing</h1>
    <p class="muted">Servers are charged per started hour while they run. Sleeping servers cost nothing.</p>
  </div>
</div>
<div class="grid-2">
  <section class="card balance-card" aria-labelledby="balance-heading">
    <h2 id="balance-heading">Balance</h2>
    <p class="balance-figure" id="balance">{{BALANCE}}</p>
  </section>
  <section class="card" aria-labelledby="add-heading">
    <h2 id="add-heading">Add funds</h2>
    {{#NO_DEPOSITS}}<p class="muted">Adding funds is not open on this installation yet. Ask the operator to top up your balance.</p>{{/NO_DEPOSITS}}
    {{#DEPOSITS}}
    {{#HAS_ERROR}}<div class="form-error" role="alert" id="amount-error">{{ERROR}}</div>{{/HAS_ERROR}}
    <form method="post" action="/billing/add-funds" class="form form-inline">
      <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
      <input type="hidden" name="idempotency_key" value="{{IDEMPOTENCY_KEY}}">
      <label for="amount">Amount in dollars (1 to {{MAX_DEPOSIT_WHOLE}})</label>
      <div class="input-row">
        <span class="prefix" aria-hidden="true">$</span>
        <input id="amount" name="amount" type="number" inputmode="numeric" min="1" max="{{MAX_DEPOSIT_WHOLE}}" step="1" required value="{{AMOUNT}}"{{#HAS_ERROR}} aria-invalid="true" aria-describedby="amount-error"{{/HAS_ERROR}}>
        <button class="button button-primary" type="submit">Add funds</button>
      </div>
      <p class="hint">Test payments: no card is charged. At most {{MAX_DEPOSIT}} at a time.</p>
    </form>
    {{/DEPOSITS}}
  </section>
</div>
<section class="card" aria-labelledby="charges-heading">
  <h2 id="charges-heading">Running hours this month</h2>
  {{#NO_CHARGES}}<p class="muted">No server has run this month.</p>{{/NO_CHARGES}}
  <div class="table-wrap">
  <table class="table" id="charges">
    <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Server</th><th scope="col" class="num">Hours</th><th scope="col" class="num">Cost</th></tr></thead>
    <tbody>
    {{#CHARGE_DAY}}<tr><td>{{DAY}}</td><td>{{SERVER}}</td><td class="num">{{HOURS}}</td><td class="num">{{CENTS}}</td></tr>{{/CHARGE_DAY}}
    </tbody>
  </table>
  </div>
</section>
<section class="card" aria-labelledby="ledger-heading">
  <h2 id="ledger-heading">Transactions</h2>
  {{#NO_ENTRIES}}<p class="muted">No transactions yet.</p>{{/NO_ENTRIES}}
  {{#HAS_ENTRIES}}
  <div class="table-wrap">
  <table class="table" id="ledger">
    <thead><tr><th scope="col">Date (UTC)</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Balance</th></tr></thead>
    <tbody>
    {{#ENTRY}}
    <tr><td>{{WHEN}}</td><td><span class="tag">{{TYPE}}</span></td><td>{{DESCRIPTION}}</td><td class="num {{AMOUNT_CLASS}}">{{AMOUNT}}</td><td class="num">{{BALANCE_AFTER}}</td></tr>
    {{/ENTRY}}
    </tbody>
  </table>
  </div>
  {{#PAGER}}
  <nav class="pager" aria-label="Transaction pages">
    {{#HAS_PREV}}<a class="button button-small" href="/billing?page={{PREV_PAGE}}" rel="prev">← Newer</a>{{/HAS_PREV}}
    <span class="muted">Page {{PAGE}} of {{PAGES}}</span>
    {{#HAS_NEXT}}<a class="button button-small" href="/billing?page={{NEXT_PAGE}}" rel="next">Older →</a>{{/HAS_NEXT}}
  </nav>
  {{/PAGER}}
  {{/HAS_ENTRIES}}
</section>
