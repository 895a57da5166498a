#!/usr/bin/env node
// The Node.js peers of thidua's rendering benchmark: docxtemplater and Carbone.
//
// Two ways to run it (both driven by benchmarks/render_peers.py):
//
//   node worker.js --serve
//     A long-lived process, so that Node's start-up and the JIT warm-up are not what is timed.
//     It reads one JSON command per line on stdin and answers one JSON line on stdout:
//       {"op": "init", "templates": {"docxtemplater": PATH, "carbone": PATH}}
//       {"op": "load", "size": N, "data": PATH}          the data of the N-row document
//       {"op": "render", "engine": E, "size": N, "reps": K, "out": PATH or null}
//         renders K documents one after another and answers
//         {"cpu": seconds per render, "wall": seconds per render}; with "out", the last
//         document is written there (to check its text).
//
//   node worker.js --once ENGINE TEMPLATE DATA OUT
//     One document in a fresh process (the whole-process view).
//
// How each engine is used is how its documentation shows it:
//   docxtemplater: new Docxtemplater(new PizZip(templateBytes), {paragraphLoop, linebreaks,
//     parser: expressions}) per document, render(data), generate a DEFLATE zip in memory; numbers
//     are formatted by an angular filter `so` with Intl.NumberFormat('vi-VN') (one formatter per
//     number of decimals, made once);
//   Carbone: carbone.render(templatePath, data, {lang: 'vi'}) per document (it reads and unzips
//     the template each time, as its API does); numbers with formatN.
"use strict";

const fs = require("fs");
const readline = require("readline");

const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");
const expressionParser = require("docxtemplater/expressions.js");
const carbone = require("carbone");

const formatters = new Map();
expressionParser.filters.so = function (value, places) {
  const digits = places || 0;
  let formatter = formatters.get(digits);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat("vi-VN", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: true,
    });
    formatters.set(digits, formatter);
  }
  return formatter.format(value);
};

const templates = {};
const templateBytes = {};
const data = new Map();

function renderDocxtemplater(size, done) {
  const doc = new Docxtemplater(new PizZip(templateBytes.docxtemplater), {
    paragraphLoop: true,
    linebreaks: true,
    parser: expressionParser,
  });
  doc.render(data.get(size));
  done(null, doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" }));
}

function renderCarbone(size, done) {
  carbone.render(templates.carbone, data.get(size), { lang: "vi" }, function (err, result) {
    done(err, result);
  });
}

const ENGINES = { docxtemplater: renderDocxtemplater, carbone: renderCarbone };

function cpuSeconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function timed(engine, size, reps, reply) {
  const render = ENGINES[engine];
  const cpu0 = cpuSeconds();
  const wall0 = process.hrtime.bigint();
  let left = reps;
  let last = null;
  const next = function (err, result) {
    if (err) {
      return reply(err);
    }
    if (result !== undefined) {
      last = result;
      left -= 1;
    }
    if (left > 0) {
      return render(size, next);
    }
    const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
    reply(null, { cpu: (cpuSeconds() - cpu0) / reps, wall: wall / reps }, last);
  };
  next(null, undefined);
}

function serve() {
  const lines = readline.createInterface({ input: process.stdin });
  const queue = [];
  let busy = false;
  const send = function (value) {
    process.stdout.write(JSON.stringify(value) + "\n");
  };
  const pump = function () {
    if (busy || queue.length === 0) {
      return;
    }
    busy = true;
    const command = JSON.parse(queue.shift());
    const finish = function (value) {
      send(value);
      busy = false;
      setImmediate(pump);
    };
    try {
      if (command.op === "init") {
        Object.assign(templates, command.templates);
        for (const [engine, path] of Object.entries(command.templates)) {
          templateBytes[engine] = fs.readFileSync(path);
        }
        finish({ ok: true, node: process.version });
      } else if (command.op === "load") {
        data.set(command.size, JSON.parse(fs.readFileSync(command.data, "utf8")));
        finish({ ok: true });
      } else if (command.op === "render") {
        timed(command.engine, command.size, command.reps, function (err, times, last) {
          if (err) {
            return finish({ error: String(err && err.stack ? err.stack : err) });
          }
          if (command.out) {
            fs.writeFileSync(command.out, last);
          }
          finish(times);
        });
      } else {
        finish({ error: "unknown op " + command.op });
      }
    } catch (err) {
      finish({ error: String(err && err.stack ? err.stack : err) });
    }
  };
  lines.on("line", function (line) {
    queue.push(line);
    pump();
  });
}

function once(engine, template, dataPath, out) {
  templates[engine] = template;
  templateBytes[engine] = fs.readFileSync(template);
  data.set(0, JSON.parse(fs.readFileSync(dataPath, "utf8")));
  ENGINES[engine](0, function (err, result) {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    fs.writeFileSync(out, result);
  });
}

if (process.argv[2] === "--serve") {
  serve();
} else if (process.argv[2] === "--once" && process.argv.length === 7) {
  once(process.argv[3], process.argv[4], process.argv[5], process.argv[6]);
} else {
  console.error("usage: worker.js --serve | --once ENGINE TEMPLATE DATA OUT");
  process.exit(2);
}
