/**
 * The usage of every command, in one place: each command quotes its own in errors and prints it
 * for `--help`, and the top-level usage lists them all, so no option is missing from either.
 */
import { type Lang, t } from '../i18n/messages.js';

export const COMMAND_USAGE = {
  run:
    'dsim run SCENARIO [--mode event|annual] [--replications N] [--seed S] [--deadline-hours H] [--workers W]\n' +
    '                  [--until-ci HALFWIDTH [--max-replications N] [--ci-kpis a,b]] [--queue URL|env:NAME]\n' +
    '                  [--json FILE|-] [--csv DIR] [--report FILE.html] [--lang zh|en] [--no-timing] [--quiet] [--progress]\n' +
    '                  (--progress: a line on stderr every 5 s where stderr is not a terminal, for logs)',
  worker:
    'dsim worker [--queue URL|env:NAME] [--workers W] [--name NAME] [--lock-ms MS] [--stalled-ms MS]\n' +
    '                  (URL: redis://[user:password@]host[:port][/db] or rediss://…; default: $DSIM_QUEUE_URL)',
  trace:
    'dsim trace SCENARIO (--replication N | --severity p50|p90|p99|worst [--kpi reliefShare|lossRatio|responseTimeMinutes|deaths|burnedHa]\n' +
    '                    [--replications N]) [--seed S] [--mode event|annual] [--json FILE|-] [--lang zh|en]',
  init: 'dsim init NAME [--from SCENARIO] [--force] [--lang zh|en]   (NAME.yaml: a starting file extending a bundled scenario)',
  validate: 'dsim validate FILE... [--lang zh|en]',
  migrate: 'dsim migrate FILE [--out FILE|-] [--lang zh|en]   (a scenario of an older dsim, upgraded; the original kept as FILE.bak)',
  list: 'dsim list [--lang zh|en]',
  version: 'dsim --version [--lang zh|en]',
  schema:
    "dsim schema [--result | --openapi] [--out FILE] [--lang zh|en]   (the scenario JSON Schema; --result: the result's; --openapi: the API's)",
  bench:
    'dsim bench [--json FILE] [--compare BASELINE.json | --against BUILD_DIR] [--max-regression PCT] [--filter REGEX] [--time MS] [--rounds R]\n' +
    '       dsim bench peers [--customers N] [--rounds R] [--json FILE]   (dsim, SimPy and C on the same M/M/c, interleaved)\n' +
    '       dsim bench mmc --lambda L --mu M --servers C --customers N [--seed S] [--json]',
  compare:
    'dsim compare SCENARIO [SCENARIO…] [--set PATH=VALUE…] [--replications N] [--seed S] [--workers W] [--deadline-hours H]\n' +
    '             [--json FILE|-] [--report FILE.html] [--lang zh|en]\n' +
    '       dsim compare --results A.json B.json … [--report FILE.html]   (stored results of the same seed: unpaired differences)',
  sweep:
    'dsim sweep SCENARIO --set PATH=FROM..TO:STEP [--set …] [--replications N] [--seed S] [--workers W] [--deadline-hours H]\n' +
    '           [--csv FILE|-] [--json FILE|-] [--report FILE.html] [--lang zh|en]',
  size:
    'dsim size SCENARIO --vary PATH --target ID [--confidence 0.9] [--min A] [--max B] [--set PATH=VALUE…]\n' +
    '          [--replications N] [--seed S] [--workers W] [--deadline-hours H] [--json FILE|-] [--report FILE.html]\n' +
    '          [--lang zh|en]\n' +
    '       dsim size SCENARIO --vary PATH=FROM..TO:STEP --vary … --cost PATH=CNY … --target ID [--report FILE.html]   (cheapest combination)',
  binds: 'dsim binds SCENARIO [--set PATH=VALUE…] [--replications N] [--seed S] [--deadline-hours H] [--json FILE|-] [--lang zh|en]',
  serve:
    'dsim serve [--host 127.0.0.1] [--port 8080] [--data DIR] [--workers W] [--queue redis://…|env:NAME]\n' +
    '           [--token T] [--max-runs N] [--max-queued N] [--max-replications N] [--rate-limit PER_MIN] [--log-level L]\n' +
    '           [--lang zh|en]',
  backup: "dsim backup --data DIR OUT.sqlite [--lang zh|en]   (an online copy of a server's store, while it serves)",
  backtest: 'dsim backtest [EVENTS.json] [--replications N] [--json FILE|-] [--lang zh|en]   (real events against the model)',
  drill:
    'dsim drill SCENARIO [--severity p50|p90|p99|worst | --replication N] [--hazard ID] [--kpi K] [--lang zh|en]\n' +
    '           [--format md|html|json|csv] [--audience controller|evaluator|players] [--start "2027-07-21 06:00"]\n' +
    '           [--mode functional|tabletop|demonstration] [--compress N | --duration 3h] [--package DIR] [--replications N] [--seed S]\n' +
    '           [--deadline-hours H] [--workers W] [--out FILE|-]   (drill documents from a simulated replication)',
  import:
    'dsim import (--inputs import.yaml | --template T.yaml --zones ZONES.shp|.zip|.geojson|.topojson) --out DIR\n' +
    '            [--zones-crs CRS] [--zone-fields code=C,name=N,population=P]\n' +
    '            [--census CENSUS.csv|.xlsx [--census-fields …]] [--encoding utf-8|gbk]\n' +
    '            [--roads OSM.osm.pbf|OVERPASS.json|ROADS.geojson]\n' +
    '            [--depth RP=FILE.tif[:m|cm|ft] …] [--depth-unit m|cm|ft] [--depth-crs CRS] [--nodata-as-dry]\n' +
    '            [--population PEOPLE.tif [--population-crs CRS]]\n' +
    '            [--facilities FACILITIES.csv|.xlsx] [--facilities-crs wgs84|gcj02|bd09|EPSG:N] [--lang zh|en]\n' +
    '       dsim import --sample DIR   (writes 示范县, a synthetic county in every form import reads)',
  plume:
    'dsim plume (--substance NAME | --loc-mg-m3 A,B,C) (--rate-g-s Q | --mass-kg M) --wind-m-s U --stability A..F\n' +
    '           [--model gaussian|dense|auto] [--height-m H] [--terrain rural|urban] [--json] [--lang zh|en]',
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

/** The top-level usage in `lang`: every command's syntax, each with what it does. */
export function usage(lang: Lang = 'en'): string {
  const commands = (Object.keys(COMMAND_USAGE) as CommandName[]).map((c) => {
    const syntax = `  ${COMMAND_USAGE[c].replace(/\n {7}dsim/g, '\ndsim').replace(/\n/g, '\n  ')}`;
    return `${syntax}\n      ${t(lang, `help.${c}`)}`;
  });
  const heading = lang === 'zh' ? '用法：' : 'Usage:';
  return `${t(lang, 'help.title')}\n\n${heading}\n${commands.join('\n')}\n\n${t(lang, 'help.scenario')}\n${t(lang, 'help.command')}\n`;
}

/** One command's usage in `lang`, for `dsim COMMAND --help`. */
export function commandUsage(command: CommandName, lang: Lang = 'en'): string {
  return `${t(lang, 'help.usage')}${lang === 'zh' ? '：' : ': '}${COMMAND_USAGE[command]}\n  ${t(lang, `help.${command}`)}\n`;
}

/** The English top-level usage (errors that quote it). */
export const USAGE = usage('en');
