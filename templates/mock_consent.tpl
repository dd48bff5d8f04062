{{%AUTOESCAPE context="HTML"}}
<section class="auth-card card">
  <p class="eyebrow">Simulated {{PROVIDER_NAME}} account</p>
  <h1>Sign in with {{PROVIDER_NAME}}</h1>
  <p class="muted">This installation simulates {{PROVIDER_NAME}} for development. Type any email address to sign in as that user; a new address creates an account with a welcome credit.</p>
  {{#HAS_ERROR}}<div class="form-error" role="alert" id="email-error">{{ERROR}}</div>{{/HAS_ERROR}}
  <form method="post" action="/auth/mock-login" class="form">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="provider" value="{{PROVIDER}}">
    <input type="hidden" name="next" value="{{NEXT}}">
    <label for="email">Email address</label>
    <input id="email" name="email" type="email" required autocomplete="email" autofocus value="{{EMAIL}}" placeholder="player@example.com"{{#HAS_ERROR}} aria-invalid="true" aria-describedby="email-error"{{/HAS_ERROR}}>
    <button class="button button-primary" type="submit">Continue</button>
  </form>
  <p class="hint"><a href="/auth/login">Choose another provider</a></p>
</section>
