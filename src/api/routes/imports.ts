/**
 * `POST /imports`: a county's files uploaded as multipart/form-data — a `spec` field (the
 * import.yaml of `dsim import --inputs`, JSON or YAML, naming the uploaded files) and the files
 * themselves, each part's file name the name the spec uses — imported on a running slot (429
 * with Retry-After when none is free) into a stored scenario, answered with its summary, the
 * findings in the request's language, the manifest and the QA report (Markdown and HTML with the
 * map). Nothing uploaded is trusted: names are plain file names, sizes and counts are bounded,
 * paths in the spec must name uploaded files, and the files are deleted when the import ends.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DsimError, ScenarioError, tell } from '../../errors.js';
import { type ImportOptions, resolveSpec, runImport } from '../../import/pipeline.js';
import { renderImportHtml, renderImportReport } from '../../import/qa.js';
import { scenarioHash } from '../../scenario/compile.js';
import type { ApiContext } from '../context.js';
import { HttpError, IMPORT_LIMITS, requestLang } from '../http.js';
import { ERRORS, ErrorBody } from '../schemas.js';
import { ScenarioSummary, summary } from './scenarios.js';

const FILE_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,99}$/u;

const ImportAnswer = z
  .object({
    scenario: ScenarioSummary,
    findings: z.array(
      z.object({ level: z.enum(['error', 'warning']), code: z.string(), message: z.string(), subject: z.string().optional() }),
    ),
    manifest: z.unknown(),
    report: z.object({ markdown: z.string(), html: z.string() }),
  })
  .meta({ id: 'ImportAnswer' });

export const importRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, ctx) => {
  await app.register(multipart, {
    limits: { ...IMPORT_LIMITS, parts: IMPORT_LIMITS.files + IMPORT_LIMITS.fields },
    throwFileSizeLimit: true,
  });

  app.post(
    '/imports',
    {
      schema: {
        consumes: ['multipart/form-data'],
        response: { 201: ImportAnswer, 409: ErrorBody, 413: ErrorBody, ...ERRORS },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'api.importMultipart', {});
      const release = ctx.manager.acquire();
      if (!release) ctx.refuseWhenFull(Number.POSITIVE_INFINITY);
      const dir = mkdtempSync(join(tmpdir(), 'dsim-api-import-'));
      const lang = requestLang(req);
      try {
        const files = new Set<string>();
        let specText: string | undefined;
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            if (part.fieldname !== 'spec') throw new HttpError(400, 'invalid_request', 'api.importField', { name: part.fieldname });
            specText = String(part.value);
            continue;
          }
          const name = part.filename ?? '';
          if (!FILE_NAME.test(name) || basename(name) !== name || files.has(name)) {
            part.file.resume();
            throw new HttpError(400, 'invalid_request', 'api.importFileName', { name });
          }
          files.add(name);
          await pipeline(part.file, createWriteStream(join(dir, name), { flags: 'wx' }));
        }
        if (specText === undefined) throw new HttpError(400, 'invalid_request', 'api.importNoSpec', {});
        const spec = readSpec(specText, files, dir);
        let r: Awaited<ReturnType<typeof runImport>>;
        try {
          r = await runImport(spec);
        } catch (e) {
          throw inUploads(e, dir);
        }
        const s = r.scenario;
        if (ctx.bundled.has(s.id)) throw new HttpError(409, 'conflict', 'api.bundledId', { id: s.id });
        const hash = scenarioHash(s);
        const added = ctx.store.addScenario({
          id: s.id,
          name: s.name,
          district: s.district.name,
          hazards: s.hazards.map((h) => h.type),
          hash,
          format: 'yaml',
          text: r.yaml,
          scenario: JSON.stringify(s),
          geometry: r.geometry,
        });
        if (!added) throw new HttpError(409, 'conflict', 'api.stored', { id: s.id });
        req.log.info({ scenarioId: s.id, files: files.size }, 'scenario imported');
        const strip = (text: string) => text.replaceAll(`${dir}/`, '');
        return reply
          .code(201)
          .header('location', `/scenarios/${s.id}`)
          .send({
            scenario: summary(s, hash, 'uploaded'),
            findings: r.log.findings.map((f) => ({
              level: f.level,
              code: f.code,
              message: tell(lang, f.key, f.params),
              ...(f.subject !== undefined && { subject: f.subject }),
            })),
            manifest: JSON.parse(strip(JSON.stringify(r.manifest))),
            report: { markdown: strip(renderImportReport(r, lang)), html: strip(renderImportHtml(r, lang)) },
          });
      } finally {
        rmSync(dir, { recursive: true, force: true });
        release!();
      }
    },
  );
};

/** The spec's paths must be the names of uploaded files; they are read from the upload folder. */
function readSpec(text: string, files: ReadonlySet<string>, dir: string): ImportOptions {
  return resolveSpec(text, 'spec', (field, name) => {
    if (!files.has(name)) throw new HttpError(400, 'invalid_request', 'api.importMissing', { field, name });
    return join(dir, name);
  });
}

/** An import's error with the upload folder taken out of its file names (the client knows its files by name). */
function inUploads(e: unknown, dir: string): unknown {
  const strip = (text: string) => text.replaceAll(`${dir}/`, '');
  if (e instanceof ScenarioError) {
    const file = strip(e.file);
    return Object.assign(new ScenarioError(file, e.issues), { file });
  }
  if (e instanceof DsimError) {
    const out = new DsimError(e.code, strip(e.message));
    out.text = (lang) => strip(e.text(lang));
    return out;
  }
  return e;
}
