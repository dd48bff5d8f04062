{{%AUTOESCAPE context="HTML"}}
<div class="page-head">
  <div>
    <h1>New server</h1>
    <p class="muted">Pick a game and name your server. It sleeps until someone connects, and costs its hourly price only while it runs. Your balance: {{BALANCE}}.</p>
  </div>
</div>
{{#HAS_ERROR}}<div class="form-error" role="alert" id="create-error">{{ERROR}}</div>{{/HAS_ERROR}}
{{#NO_GAMES}}<section class="card"><p class="muted">No games are available right now.</p></section>{{/NO_GAMES}}
<form method="post" action="/servers/create" class="form card">
  <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
  <fieldset class="game-choices">
    <legend>Game</legend>
    {{#GAME}}
    <label class="game-choice">
      <input type="radio" name="game_id" value="{{ID}}" required{{#SELECTED}} checked{{/SELECTED}}>
      <span class="game-card">
        <span class="game-name">{{NAME}}</span>
        <span class="game-price">{{PRICE}}/hour</span>
        <span class="muted">{{DESCRIPTION}}</span>
        <span class="hint">{{PORTS}} · {{RAM_MB}} MB memory</span>
      </span>
    </label>
    {{/GAME}}
  </fieldset>
  <label for="name">Server name</label>
  <input id="name" name="name" type="text" required maxlength="40" pattern="[A-Za-z0-9][A-Za-z0-9 ._\-]{0,39}" value="{{NAME}}" placeholder="Friday night survival"{{#HAS_ERROR}} aria-describedby="create-error"{{/HAS_ERROR}}>
  <p class="hint">1 to 40 letters, digits, spaces, dots, dashes or underscores.</p>
  <div><button class="button button-primary" type="submit">Create server</button></div>
</form>
