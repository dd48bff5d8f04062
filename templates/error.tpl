{{%AUTOESCAPE context="HTML"}}
<section class="card error-card">
  <p class="error-code">{{STATUS}}</p>
  <h1>{{HEADING}}</h1>
  <p class="muted">{{MESSAGE}}</p>
  <p><a class="button" href="/">Go to your dashboard</a></p>
</section>
