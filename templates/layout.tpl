{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · GSP</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <div class="topbar-inner">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">▲</span> GSP <span class="brand-sub">game servers</span></a>
    {{#SIGNED_IN}}
    <nav class="nav" aria-label="Main">
      <a href="/dashboard" aria-current="{{NAV_DASHBOARD}}">Servers</a>
      <a href="/servers/create" aria-current="{{NAV_CREATE}}">New server</a>
      <a href="/billing" aria-current="{{NAV_BILLING}}">Billing</a>
    </nav>
    <div class="account">
      <a class="balance" href="/billing" title="Your balance">{{BALANCE}}</a>
      <span class="email">{{USER_EMAIL}}{{#IS_ADMIN}} <span class="badge">admin</span>{{/IS_ADMIN}}</span>
      <form method="post" action="/auth/logout" class="inline-form"><input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}"><button class="button button-quiet" type="submit">Sign out</button></form>
    </div>
    {{/SIGNED_IN}}
    {{#SIGNED_OUT}}
    <div class="account"><a class="button button-quiet" href="/auth/login">Sign in</a></div>
    {{/SIGNED_OUT}}
  </div>
</header>
<main id="main" class="container">
{{#HAS_LOW_CREDIT}}<div class="flash flash-error low-credit" role="alert">{{LOW_CREDIT}} <a href="/billing">Add funds</a></div>{{/HAS_LOW_CREDIT}}
{{#FLASH}}
<div class="flash flash-{{KIND}}" role="status">{{MESSAGE}}</div>
{{/FLASH}}
{{>CONTENT}}
</main>
<footer class="footer container">Game Server Platform · servers sleep when nobody plays, so you only pay while they run.</footer>
</body>
</html>
