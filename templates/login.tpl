{{%AUTOESCAPE context="HTML"}}
<section class="auth-card card">
  <h1>Sign in</h1>
  <p class="muted">Run game servers that wake when a friend connects and sleep when nobody plays.</p>
  {{#MOCK_ENABLED}}
  <div class="provider-list">
    <a class="button button-provider" href="/auth/mock/google?next={{NEXT:u}}"><span class="provider-icon provider-google" aria-hidden="true">G</span> Continue with Google</a>
    <a class="button button-provider" href="/auth/mock/microsoft?next={{NEXT:u}}"><span class="provider-icon provider-microsoft" aria-hidden="true">■</span> Continue with Microsoft</a>
  </div>
  <p class="hint">Development sign-in: the providers are simulated on this installation.</p>
  {{/MOCK_ENABLED}}
  {{#MOCK_DISABLED}}
  <div class="provider-list">
    <span class="button button-provider is-disabled" aria-disabled="true"><span class="provider-icon provider-google" aria-hidden="true">G</span> Continue with Google</span>
    <span class="button button-provider is-disabled" aria-disabled="true"><span class="provider-icon provider-microsoft" aria-hidden="true">■</span> Continue with Microsoft</span>
  </div>
  <p class="hint">Sign-in providers are not configured on this installation yet. Ask your administrator.</p>
  {{/MOCK_DISABLED}}
</section>
