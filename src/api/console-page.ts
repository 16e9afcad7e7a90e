/**
 * The browser console `dsim serve` shows at `/`: pick a bundled or uploaded scenario, set the
 * replications, seed and deadline, change its stocks, vehicles and teams in a form built from the
 * scenario (Chinese names, current values, units; raw JSON overrides under "advanced"), start a
 * run, watch its progress (Server-Sent Events), cancel it, read its report in place, compare it
 * with an earlier run of the same seed or, paired, with the base scenario, ask what binds relief,
 * list past runs with what they changed, upload a scenario file, replace it by a new version or
 * delete it. Plain HTML and a
 * little script, no build step, Chinese and English (the page's own catalogue, chosen by ?lang= or
 * the browser's language; item, unit and team names from dsim's). A token, when the server has
 * one, is asked for once and kept in the session.
 */
import { EN, type MessageKey, t } from '../i18n/messages.js';
import { DEFAULT_RELIEF_NORMS } from '../scenario/defaults.js';

export function consolePage(lang: 'zh' | 'en'): string {
  const text = { ...CONSOLE_TEXT[lang], labels: catalogueLabels(lang), defaultUnits: DEFAULT_UNITS };
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
  input, select, textarea { width: 100%; box-sizing: border-box; padding: 4px; } h4 { margin: 10px 0 2px; font-size: 13px; }
  input.changed { background: #fff6d6; } td.params { font-size: 11px; color: #445; } button { margin-top: 10px; padding: 6px 14px; }
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
    <div id="form"></div>
    <details><summary>${text.advanced}</summary>
      <label for="overrides">${text.overrides}</label><textarea id="overrides" rows="4" placeholder='{"resources":{"fleet":[{"id":"…","count":40}]}}'></textarea>
    </details>
    <button id="start">${text.start}</button> <button id="cancel" disabled>${text.cancel}</button>
    <div><progress id="progress" max="1" value="0"></progress> <span id="status"></span></div>
    <div id="error"></div>
  </fieldset>
  <fieldset><legend>${text.uploads}</legend>
    <label for="file">${text.file}</label><input id="file" type="file" accept=".yaml,.yml,.json">
    <button id="upload">${text.upload}</button> <button id="replace" disabled>${text.replace}</button> <button id="remove" disabled>${text.remove}</button>
    <div id="uploadStatus"></div>
  </fieldset>
  <fieldset><legend>${text.past}</legend><table><thead><tr><th>${text.run}</th><th>${text.scenario}</th><th>${text.params}</th><th>${text.state}</th><th></th></tr></thead><tbody id="runs"></tbody></table></fieldset>
  <fieldset><legend>${text.compare}</legend><div id="compare">${text.compareHint}</div>
    <button id="paired">${text.paired}</button><div id="pairedResult"></div>
    <button id="binds">${text.binds}</button><div id="bindsStatus"></div></fieldset>
</section>
<section><iframe id="report" title="${text.report}"></iframe></section>
</main>
<script type="application/json" id="text">${JSON.stringify(text).replace(/</g, '\\u003c')}</script>
<script>${CONSOLE_SCRIPT}</script>
</body>
</html>
`;
}

/** Item, unit and team names from the catalogue, for the form's labels. */
function catalogueLabels(lang: 'zh' | 'en'): Record<string, string> {
  return Object.fromEntries(
    Object.keys(EN)
      .filter((k) => /^(item|unit|team)\./.test(k))
      .map((k) => [k, t(lang, k as MessageKey)]),
  );
}

/** The unit of each item when a scenario's relief norms do not say (the defaults'). */
const DEFAULT_UNITS = Object.fromEntries(Object.entries(DEFAULT_RELIEF_NORMS).map(([item, n]) => [item, n.unit]));

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
    overrides: '覆盖设置（JSON，可选，与上面的修改合并）',
    advanced: '高级：以JSON填写覆盖设置',
    resources: '储备、车辆和队伍（改动的值将覆盖情景）',
    vehicles: '车辆数',
    teams: '队伍数',
    cancel: '取消',
    params: '参数',
    badJson: '覆盖设置不是有效的JSON：请检查括号、引号和逗号',
    badNumber: '请输入不小于0的数字：',
    noChange: '未修改',
    replicationsShort: '次',
    paired: '与基础情景配对比较（修改前后使用同一批模拟）',
    nothingToCompare: '请先在上面修改库存、车辆或队伍',
    baseName: '基础情景',
    changedName: '修改后',
    difference: '差值（配对95%置信区间）',
    pmetRelief: '时限内救助的达标概率',
    binds: '制约因素分析：哪项投入能使救助达标（含上面的修改）',
    deadlineShort: '时限',
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
    uploads: '我的情景（上传、替换、删除）',
    file: '情景文件（YAML或JSON，UTF-8编码）',
    upload: '上传为新情景',
    replace: '替换所选情景（保存为新版本）',
    remove: '删除所选情景',
    noFile: '请先选择一个情景文件',
    uploaded: '已上传：',
    replaced: '已保存新版本：',
    removed: '已删除：',
    version: '第{v}版',
    versions: '版本',
    uploadedMark: '上传',
    exists: '该编号的情景已上传；如需更新，请在上方选中它并点“替换所选情景”',
    confirmRemove: '确定删除情景“{id}”？已保存的版本将一并删除。',
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
    overrides: 'Overrides (JSON, optional; merged with the changes above)',
    advanced: 'Advanced: overrides as JSON',
    resources: 'Stocks, vehicles and teams (changed values override the scenario)',
    vehicles: 'vehicles',
    teams: 'teams',
    cancel: 'Cancel',
    params: 'Parameters',
    badJson: 'The overrides are not valid JSON: check the brackets, quotes and commas',
    badNumber: 'Enter a number of 0 or more: ',
    noChange: 'unchanged',
    replicationsShort: 'runs',
    paired: 'Compare with the base scenario, paired (the same replications before and after)',
    nothingToCompare: 'Change a stock, a fleet or a team above first',
    baseName: 'base scenario',
    changedName: 'changed',
    difference: 'difference (paired 95% CI)',
    pmetRelief: 'P(relief target met)',
    binds: 'What binds relief: which purchase moves the target (with the changes above)',
    deadlineShort: 'deadline',
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
    uploads: 'My scenarios (upload, replace, delete)',
    file: 'Scenario file (YAML or JSON, UTF-8)',
    upload: 'Upload as a new scenario',
    replace: 'Replace the selected scenario (saved as a new version)',
    remove: 'Delete the selected scenario',
    noFile: 'Choose a scenario file first',
    uploaded: 'Uploaded: ',
    replaced: 'New version saved: ',
    removed: 'Deleted: ',
    version: 'version {v}',
    versions: 'versions',
    uploadedMark: 'uploaded',
    exists: 'A scenario with this id is uploaded already; to update it, select it above and press “Replace the selected scenario”',
    confirmRemove: 'Delete the scenario “{id}”? Its saved versions go with it.',
  },
} as const;

const CONSOLE_SCRIPT = `
(function () {
  var T = JSON.parse(document.getElementById('text').textContent);
  var lang = document.documentElement.lang === 'en' ? 'en' : 'zh';
  var $ = function (id) { return document.getElementById(id); };
  function headers(extra) {
    // messages from the server in the page's language
    var h = Object.assign({ 'accept-language': lang }, extra || {});
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
      if (res.status === 204) return null;
      return res.json().then(function (body) { if (!res.ok) { body.status = res.status; throw body; } return body; });
    });
  }
  function pct(x) { return x === null || x === undefined ? '—' : (x * 100).toFixed(1) + '%'; }
  function showError(e) { $('error').textContent = e && e.message ? e.message + (e.details ? '\\n' + e.details.map(function (d) { return d.path + ': ' + d.message; }).join('\\n') : '') : String(e); }
  function esc(x) { return String(x).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'); }
  // The scenarios, uploads marked with their version; \`select\` picks one (an upload just stored)
  var uploads = {};
  function loadScenarios(select) {
    return api('/scenarios').then(function (r) {
      uploads = {};
      $('scenario').innerHTML = r.scenarios.map(function (s) {
        if (s.origin === 'uploaded') uploads[s.id] = s;
        var mark = s.origin === 'uploaded' ? (lang === 'zh' ? '（' : ' (') + T.uploadedMark + ' · ' + T.version.replace('{v}', s.version) + (lang === 'zh' ? '）' : ')') : '';
        return '<option value="' + esc(s.id) + '">' + esc(s.id) + ' — ' + esc((lang === 'zh' && s.nameZh) || s.name) + esc(mark) + '</option>';
      }).join('');
      if (select) $('scenario').value = select;
    }).then(loadForm);
  }
  // The form: each warehouse's stock per item, each fleet's vehicles, each station's teams, from the scenario itself
  var current = null;
  function name(x) { return (lang === 'zh' && x.nameZh) || x.name || x.id; }
  function label(key, fallback) { return T.labels[key] || fallback; }
  function field(kind, unit, key, text, value) {
    return '<label>' + esc(text) + '</label><input type="number" min="0" data-kind="' + kind + '" data-unit="' + esc(unit) + '" data-key="' + esc(key) + '" data-base="' + value + '" value="' + value + '">';
  }
  function loadForm() {
    return api('/scenarios/' + encodeURIComponent($('scenario').value)).then(function (s) {
      current = s;
      var r = s.resources, norms = s.reliefNorms || {}, html = '<fieldset><legend>' + esc(T.resources) + '</legend>';
      (r.warehouses || []).forEach(function (w) {
        html += '<h4>' + esc(name(w)) + '</h4>';
        Object.keys(w.stock).forEach(function (item) {
          var u = (norms[item] && norms[item].unit) || T.defaultUnits[item];
          var unit = u ? label('unit.' + u, u) : '';
          var text = label('item.' + item, item) + (unit ? (lang === 'zh' ? '（' + unit + '）' : ' (' + unit + ')') : '');
          html += field('stock', w.id, item, text, w.stock[item]);
        });
      });
      (r.fleet || []).forEach(function (f) { html += field('fleet', f.id, 'count', name(f) + ' · ' + T.vehicles, f.count); });
      (r.stations || []).forEach(function (st) {
        st.teams.forEach(function (team, j) { html += field('team', st.id, String(j), name(st) + ' · ' + label('team.' + team.type, team.type) + ' · ' + T.teams, team.count); });
      });
      $('form').innerHTML = html + '</fieldset>';
      $('deadline').placeholder = s.targets.reliefDeadlineHours + (lang === 'zh' ? '（情景的目标）' : " (the scenario's target)");
      $('replace').disabled = $('remove').disabled = !uploads[s.id];
    });
  }
  $('scenario').addEventListener('change', function () { loadForm().catch(showError); });
  $('form').addEventListener('input', function (e) {
    if (e.target.getAttribute('data-base') !== null) e.target.classList.toggle('changed', e.target.value !== e.target.getAttribute('data-base'));
  });
  // The changed values as overrides: warehouses and fleets by id; a station's teams whole (its list is replaced)
  // The form's changed values, each with what it changes; a value that is not a number of 0 or more is an error naming its field
  function changedFields() {
    var out = [];
    Array.prototype.forEach.call(document.querySelectorAll('#form input'), function (el) {
      if (el.value === el.getAttribute('data-base')) return;
      var v = Number(el.value);
      if (el.value === '' || !(v >= 0)) throw { message: T.badNumber + el.previousSibling.textContent };
      out.push({ kind: el.getAttribute('data-kind'), unit: el.getAttribute('data-unit'), key: el.getAttribute('data-key'), value: v });
    });
    return out;
  }
  function formOverrides() {
    var w = {}, f = {}, st = {};
    changedFields().forEach(function (c) {
      if (c.kind === 'stock') { w[c.unit] = w[c.unit] || {}; w[c.unit][c.key] = c.value; }
      else if (c.kind === 'fleet') f[c.unit] = c.value;
      else { st[c.unit] = st[c.unit] || {}; st[c.unit][c.key] = c.value; }
    });
    var res = {};
    var ws = Object.keys(w).map(function (id) { return { id: id, stock: w[id] }; });
    var fs = Object.keys(f).map(function (id) { return { id: id, count: f[id] }; });
    var ss = Object.keys(st).map(function (id) {
      var station = current.resources.stations.filter(function (x) { return x.id === id; })[0];
      return { id: id, teams: station.teams.map(function (team, j) { return Object.assign({}, team, st[id][j] !== undefined ? { count: st[id][j] } : {}); }) };
    });
    if (ws.length) res.warehouses = ws;
    if (fs.length) res.fleet = fs;
    if (ss.length) res.stations = ss;
    return Object.keys(res).length ? { resources: res } : null;
  }
  // The form's changes with the advanced JSON on top (null when neither changes anything); throws a message to show
  function requestOverrides() { return merge(formOverrides(), advancedOverrides()); }
  // The advanced box's JSON, or null when empty; throws a message to show
  function advancedOverrides() {
    if ($('overrides').value.trim() === '') return null;
    try { return JSON.parse($('overrides').value); } catch (e) { throw { message: T.badJson }; }
  }
  // The seed and deadline fields, when set, into a request body
  function withRunOptions(body) {
    if ($('seed').value !== '') body.seed = Number($('seed').value);
    if ($('deadline').value !== '') body.deadlineHours = Number($('deadline').value);
    return body;
  }
  // A study (comparison, what binds) polled until it ends: progress in el, then done(the study record)
  function pollStudy(path, el, done) {
    (function poll() {
      api(path).then(function (r) {
        if (r.status === 'done') return done(r);
        if (['failed', 'cancelled'].indexOf(r.status) >= 0) return showError(r.error || { message: T[r.status] });
        el.textContent = T.running + ' ' + r.progress.done + ' / ' + r.progress.total;
        setTimeout(poll, 300);
      }).catch(showError);
    })();
  }
  // JSON overrides on top of the form's: id-keyed lists concatenate (the server merges items of the same id in order)
  function merge(a, b) {
    if (!a) return b; if (!b) return a;
    var out = Object.assign({}, a);
    Object.keys(b).forEach(function (k) {
      if (Array.isArray(a[k]) && Array.isArray(b[k])) out[k] = a[k].concat(b[k]);
      else if (a[k] && typeof a[k] === 'object' && b[k] && typeof b[k] === 'object' && !Array.isArray(b[k])) out[k] = merge(a[k], b[k]);
      else out[k] = b[k];
    });
    return out;
  }
  // What a run changed, in a line: leaf paths of its overrides, and its replications and deadline
  function changes(p) {
    var parts = [];
    (function walk(x, path) {
      if (Array.isArray(x)) x.forEach(function (v) { walk(v, path + (v && v.id ? '[' + v.id + ']' : '')); });
      else if (x && typeof x === 'object') Object.keys(x).forEach(function (k) { if (k !== 'id') walk(x[k], path ? path + '.' + k : k); });
      else parts.push(path.replace(/^resources./, '') + '=' + x);
    })(p.overrides, '');
    var head = (p.replications ? p.replications + ' ' + T.replicationsShort : '') + (p.deadlineHours ? ' · ' + T.deadlineShort + ' ' + p.deadlineHours : '');
    return esc(head + (parts.length ? ' · ' + parts.join('; ') : ''));
  }
  var done = [];
  function loadRuns() {
    return api('/runs?limit=20').then(function (r) {
      $('runs').innerHTML = r.runs.map(function (x) {
        return '<tr><td>' + x.id.slice(-6) + '</td><td>' + esc(x.scenario.id) + '</td><td class="params">' + changes(x.parameters) + '</td><td data-status="' + x.status + '">' + (T[x.status] || x.status) + '</td><td><a href="#" data-run="' + x.id + '">' + T.open + '</a></td></tr>';
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
    var body = withRunOptions({ scenarioId: $('scenario').value, replications: Number($('replications').value) });
    var overrides;
    try { overrides = requestOverrides(); } catch (e) { showError(e); return; }
    if (overrides) body.overrides = overrides;
    api('/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (run) {
      $('status').textContent = T.queued;
      $('status').setAttribute('data-status', 'queued');
      $('cancel').disabled = false;
      $('cancel').onclick = function () { api('/runs/' + run.id, { method: 'DELETE' }).catch(showError); };
      function progress(p) {
        $('progress').max = p.total; $('progress').value = p.done;
        $('status').textContent = T.running + ' ' + p.done + ' / ' + p.total;
      }
      function finished(r) {
        $('cancel').disabled = true;
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
  // A paired comparison of the base and the changes (POST /comparisons): the headline share and P(met), each difference with its interval
  function signed(x) { return x === null || x === undefined ? '—' : (x > 0 ? '+' : x < 0 ? '−' : '') + pct(Math.abs(x)); }
  $('paired').addEventListener('click', function () {
    $('error').textContent = '';
    var overrides;
    try { overrides = requestOverrides(); } catch (e) { showError(e); return; }
    if (!overrides) { showError({ message: T.nothingToCompare }); return; }
    var body = withRunOptions({ scenarioId: $('scenario').value, replications: Number($('replications').value),
      variants: [{ name: T.baseName }, { name: T.changedName, overrides: overrides }] });
    $('pairedResult').textContent = T.running;
    api('/comparisons', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (c) {
      pollStudy('/comparisons/' + c.id, $('pairedResult'), function (r) {
        var rows = r.result.metrics.filter(function (m) { return m.id === 'reliefWithinDeadline' || m.id === 'target:relief-within-deadline'; });
        $('pairedResult').innerHTML = '<table><tr><th></th><th>' + esc(T.baseName) + '</th><th>' + esc(T.changedName) + '</th><th>' + esc(T.difference) + '</th></tr>' +
          rows.map(function (m) {
            var d = m.differences[0];
            return '<tr><td>' + esc(m.id === 'reliefWithinDeadline' ? T.relief : T.pmetRelief) + '</td><td>' + pct(m.values[0]) + '</td><td>' + pct(m.values[1]) +
              '</td><td class="diff">' + signed(d.mean) + ' [' + signed(d.ci95[0]) + ', ' + signed(d.ci95[1]) + ']' + (d.significant ? ' *' : '') + '</td></tr>';
          }).join('') + '</table>';
      });
    }).catch(showError);
  });
  // What binds (POST /binds) on the scenario with the advanced JSON as overrides and the form's changes as --set paths
  // (each listed in words among the study's assumptions); its page shown in place
  function formSets() {
    var set = {};
    changedFields().forEach(function (c) {
      var path = c.kind === 'stock' ? 'resources.warehouses[' + c.unit + '].stock.' + c.key
        : c.kind === 'fleet' ? 'resources.fleet[' + c.unit + '].count' : 'resources.stations[' + c.unit + '].teams[' + c.key + '].count';
      set[path] = c.value;
    });
    return set;
  }
  $('binds').addEventListener('click', function () {
    $('error').textContent = '';
    var set, json;
    try { set = formSets(); json = advancedOverrides(); } catch (e) { showError(e); return; }
    var body = withRunOptions({ scenarioId: $('scenario').value, replications: Math.max(35, Math.min(400, Number($('replications').value))), set: set });
    if (json) body.overrides = json;
    $('bindsStatus').textContent = T.running;
    api('/binds', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (b) {
      pollStudy('/binds/' + b.id, $('bindsStatus'), function () {
        $('bindsStatus').setAttribute('data-status', 'done');
        $('bindsStatus').textContent = T.done;
        fetch('/binds/' + b.id + '/report?lang=' + lang, { headers: headers() }).then(function (res) { return res.text(); }).then(function (html) { $('report').srcdoc = html; });
      });
    }).catch(showError);
  });
  // Uploads: a file sent as it is (YAML or JSON by its name), stored as a new scenario or as a new version of the selected one
  function clearUploadStatus() { $('error').textContent = ''; $('uploadStatus').textContent = ''; $('uploadStatus').removeAttribute('data-status'); }
  function uploadStatus(state, text) { $('uploadStatus').textContent = text; $('uploadStatus').setAttribute('data-status', state); }
  function sendFile(method, path, done) {
    clearUploadStatus();
    var file = $('file').files[0];
    if (!file) { showError({ message: T.noFile }); return; }
    file.text().then(function (body) {
      var type = /.json$/i.test(file.name) ? 'application/json' : 'application/yaml';
      return api(path, { method: method, headers: { 'content-type': type }, body: body });
    }).then(function (s) {
      // told once the list and the form show it
      return loadScenarios(s.id).then(function () { uploadStatus('done', done + s.id + ' · ' + T.version.replace('{v}', s.version)); });
    }).catch(function (e) {
      var stored = e && e.details && e.details.some(function (d) { return d.code === 'already_stored'; });
      showError(stored ? { message: T.exists } : e);
    });
  }
  $('upload').addEventListener('click', function () { sendFile('POST', '/scenarios', T.uploaded); });
  $('replace').addEventListener('click', function () { sendFile('PUT', '/scenarios/' + encodeURIComponent($('scenario').value), T.replaced); });
  $('remove').addEventListener('click', function () {
    var id = $('scenario').value;
    clearUploadStatus();
    if (!confirm(T.confirmRemove.replace('{id}', id))) return;
    api('/scenarios/' + encodeURIComponent(id), { method: 'DELETE' }).then(function () {
      return loadScenarios().then(function () { uploadStatus('removed', T.removed + id); });
    }).catch(showError);
  });
  loadScenarios().then(loadRuns).catch(showError);
})();
`;
