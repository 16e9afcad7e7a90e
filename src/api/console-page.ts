/**
 * The browser console `dsim serve` shows at `/`: pick a bundled or uploaded scenario, set the
 * replications, seed, deadline and a few overrides, start a run, watch its progress (Server-Sent
 * Events), read its report in place, compare it with an earlier run of the same seed, list past
 * runs. Plain HTML and a little script, no build step, Chinese and English (the page's own
 * catalogue, chosen by ?lang= or the browser's language). A token, when the server has one, is
 * asked for once and kept in the session.
 */
export function consolePage(lang: 'zh' | 'en'): string {
  const text = CONSOLE_TEXT[lang];
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${text.title}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif; margin: 0; color: #1d2733; }
  header { background: #1f5f99; color: #fff; padding: 8px 16px; display: flex; justify-content: space-between; align-items: center; }
  header a { color: #fff; margin-left: 8px; }
  main { display: grid; grid-template-columns: 320px 1fr; gap: 16px; padding: 16px; }
  fieldset { border: 1px solid #ccd; margin-bottom: 12px; } label { display: block; margin: 6px 0 2px; font-size: 13px; }
  input, select { width: 100%; box-sizing: border-box; padding: 4px; } button { margin-top: 10px; padding: 6px 14px; }
  progress { width: 100%; } table { border-collapse: collapse; width: 100%; font-size: 12px; } td, th { border-bottom: 1px solid #e4e7ec; padding: 3px; text-align: left; }
  iframe { width: 100%; height: 1400px; border: 1px solid #ccd; } #error { color: #c0392b; white-space: pre-wrap; }
</style>
</head>
<body>
<header><strong>${text.title}</strong><span><a href="/?lang=zh">中文</a><a href="/?lang=en">English</a><a href="/docs">API</a></span></header>
<main>
<section>
  <fieldset><legend>${text.newRun}</legend>
    <label for="scenario">${text.scenario}</label><select id="scenario"></select>
    <label for="replications">${text.replications}</label><input id="replications" type="number" min="1" value="1000">
    <label for="seed">${text.seed}</label><input id="seed" type="number" min="0" placeholder="${text.seedDefault}">
    <label for="deadline">${text.deadline}</label><input id="deadline" type="number" min="1" placeholder="${text.deadlineDefault}">
    <label for="fleet">${text.overrides}</label><input id="overrides" placeholder='{"resources":{"fleet":[{"id":"support-fleet","count":40}]}}'>
    <button id="start">${text.start}</button>
    <div><progress id="progress" max="1" value="0"></progress> <span id="status"></span></div>
    <div id="error"></div>
  </fieldset>
  <fieldset><legend>${text.past}</legend><table><thead><tr><th>${text.run}</th><th>${text.scenario}</th><th>${text.state}</th><th></th></tr></thead><tbody id="runs"></tbody></table></fieldset>
  <fieldset><legend>${text.compare}</legend><div id="compare">${text.compareHint}</div></fieldset>
</section>
<section><iframe id="report" title="${text.report}"></iframe></section>
</main>
<script type="application/json" id="text">${JSON.stringify(text).replace(/</g, '\\u003c')}</script>
<script>${CONSOLE_SCRIPT}</script>
</body>
</html>
`;
}

const CONSOLE_TEXT = {
  zh: {
    title: 'dsim 应急情景模拟',
    newRun: '新建模拟',
    scenario: '情景',
    replications: '重复模拟次数',
    seed: '随机种子',
    seedDefault: '默认：情景的种子',
    deadline: '救助时限（小时）',
    deadlineDefault: '默认：情景的目标',
    overrides: '覆盖设置（JSON，可选）',
    start: '开始模拟',
    past: '历史模拟',
    run: '编号',
    state: '状态',
    open: '查看',
    compare: '与上一次比较',
    compareHint: '完成两次同一种子的模拟后在此比较',
    report: '报告',
    token: '请输入访问令牌',
    relief: '时限内救助比例',
    loss: '损失占GDP',
    done: '完成',
    running: '运行中',
    queued: '排队中',
    cancelled: '已取消',
    failed: '失败',
    interrupted: '已中断',
  },
  en: {
    title: 'dsim scenario console',
    newRun: 'New run',
    scenario: 'Scenario',
    replications: 'Replications',
    seed: 'Seed',
    seedDefault: "default: the scenario's",
    deadline: 'Relief deadline (hours)',
    deadlineDefault: "default: the scenario's target",
    overrides: 'Overrides (JSON, optional)',
    start: 'Start',
    past: 'Past runs',
    run: 'Run',
    state: 'Status',
    open: 'open',
    compare: 'Compare with the previous run',
    compareHint: 'two runs of the same seed are compared here',
    report: 'Report',
    token: 'Access token',
    relief: 'relieved within the deadline',
    loss: 'loss / GDP',
    done: 'done',
    running: 'running',
    queued: 'queued',
    cancelled: 'cancelled',
    failed: 'failed',
    interrupted: 'interrupted',
  },
} as const;

const CONSOLE_SCRIPT = `
(function () {
  var T = JSON.parse(document.getElementById('text').textContent);
  var lang = document.documentElement.lang === 'en' ? 'en' : 'zh';
  var $ = function (id) { return document.getElementById(id); };
  function headers(extra) {
    var h = Object.assign({}, extra || {});
    var token = sessionStorage.getItem('dsim-token');
    if (token) h.authorization = 'Bearer ' + token;
    return h;
  }
  function api(path, init) {
    init = init || {};
    init.headers = headers(init.headers);
    return fetch(path, init).then(function (res) {
      if (res.status === 401) {
        var token = prompt(T.token);
        if (token) { sessionStorage.setItem('dsim-token', token); return api(path, init); }
      }
      return res.json().then(function (body) { if (!res.ok) throw body; return body; });
    });
  }
  function pct(x) { return x === null || x === undefined ? '—' : (x * 100).toFixed(1) + '%'; }
  function showError(e) { $('error').textContent = e && e.message ? e.message + (e.details ? '\\n' + e.details.map(function (d) { return d.path + ': ' + d.message; }).join('\\n') : '') : String(e); }
  function loadScenarios() {
    return api('/scenarios').then(function (r) {
      $('scenario').innerHTML = r.scenarios.map(function (s) { return '<option value="' + s.id + '">' + s.id + ' — ' + ((lang === 'zh' && s.nameZh) || s.name).replace(/</g, '&lt;') + '</option>'; }).join('');
    });
  }
  var done = [];
  function loadRuns() {
    return api('/runs?limit=20').then(function (r) {
      $('runs').innerHTML = r.runs.map(function (x) {
        return '<tr><td>' + x.id.slice(-6) + '</td><td>' + x.scenario.id + '</td><td data-status="' + x.status + '">' + (T[x.status] || x.status) + '</td><td><a href="#" data-run="' + x.id + '">' + T.open + '</a></td></tr>';
      }).join('');
    });
  }
  $('runs').addEventListener('click', function (e) {
    var id = e.target.getAttribute && e.target.getAttribute('data-run');
    if (id) { e.preventDefault(); showReport(id); }
  });
  // fetched (so a token goes with it) and shown in place
  function showReport(id) {
    fetch('/runs/' + id + '/report?lang=' + lang, { headers: headers() }).then(function (res) { return res.text(); }).then(function (html) { $('report').srcdoc = html; });
  }
  function compare(a, b) {
    if (!a || !b || a.result.seed !== b.result.seed) return;
    var ra = a.result.kpis, rb = b.result.kpis;
    $('compare').innerHTML = '<table><tr><th></th><th>' + a.id.slice(-6) + '</th><th>' + b.id.slice(-6) + '</th></tr>' +
      '<tr><td>' + T.relief + '</td><td>' + pct(ra.reliefWithinDeadline.mean) + '</td><td>' + pct(rb.reliefWithinDeadline.mean) + '</td></tr>' +
      '<tr><td>' + T.loss + '</td><td>' + pct(ra.lossRatio.mean) + '</td><td>' + pct(rb.lossRatio.mean) + '</td></tr></table>';
  }
  $('start').addEventListener('click', function () {
    $('error').textContent = '';
    var body = { scenarioId: $('scenario').value, replications: Number($('replications').value) };
    if ($('seed').value !== '') body.seed = Number($('seed').value);
    if ($('deadline').value !== '') body.deadlineHours = Number($('deadline').value);
    if ($('overrides').value.trim() !== '') {
      try { body.overrides = JSON.parse($('overrides').value); } catch (e) { showError(e); return; }
    }
    api('/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (run) {
      $('status').textContent = T.queued;
      function progress(p) {
        $('progress').max = p.total; $('progress').value = p.done;
        $('status').textContent = T.running + ' ' + p.done + ' / ' + p.total;
      }
      function finished(r) {
        $('status').textContent = (T[r.status] || r.status) + (r.result ? ' — ' + T.relief + ' ' + pct(r.result.kpis.reliefWithinDeadline.mean) : '');
        $('status').setAttribute('data-status', r.status);
        if (r.result) { done.push({ id: run.id, result: r.result }); compare(done[done.length - 2], done[done.length - 1]); showReport(run.id); }
        loadRuns();
      }
      if (!sessionStorage.getItem('dsim-token')) {
        // live progress by Server-Sent Events
        var es = new EventSource('/runs/' + run.id + '/events');
        es.addEventListener('progress', function (m) { progress(JSON.parse(m.data)); });
        es.addEventListener('result', function (m) { es.close(); finished(JSON.parse(m.data)); });
      } else {
        // EventSource cannot send a token: poll instead
        (function poll() {
          api('/runs/' + run.id).then(function (r) {
            progress(r.progress);
            if (['done', 'cancelled', 'failed'].indexOf(r.status) >= 0) finished(r); else setTimeout(poll, 500);
          }).catch(showError);
        })();
      }
    }).catch(showError);
  });
  loadScenarios().then(loadRuns).catch(showError);
})();
`;
