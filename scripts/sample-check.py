#!/usr/bin/env python3
"""Checks every Arazzo document under a directory with the `arazzo` CLI and summarizes.

    scripts/sample-check.py [--cli target/debug/arazzo] [--fix] DIR [--json OUT]

Each document (a YAML or JSON file with a top-level `arazzo` field) is checked from its own
directory, as `arazzo check --format json` would be run by its author. Documents whose source
descriptions are remote or missing are counted apart (vendor them first). With `--fix`, each
failing document is first rewritten by `arazzo fix` (run it on a copy). Prints how many
compile, and the most common messages with their names and numbers folded, so a sample of
real-world documents can be compared before and after a change. Needs PyYAML.
"""
import argparse, collections, json, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

import yaml


def documents(root):
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(('.yaml', '.yml', '.json')):
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding='utf-8') as f:
                        head = f.read(4096)
                except (OSError, UnicodeDecodeError):
                    continue
                if re.search(r'^arazzo:|^\s{0,4}"arazzo"\s*:', head, re.M):
                    yield path


def check(cli, path, fix):
    try:
        with open(path, encoding='utf-8') as f:
            doc = yaml.safe_load(f)
    except Exception as e:  # noqa: BLE001 - any parse failure is a result
        return {'doc': path, 'status': 'unparsable', 'why': str(e)[:200]}
    if not isinstance(doc, dict) or 'arazzo' not in doc:
        return {'doc': path, 'status': 'not-arazzo'}
    folder, name = os.path.split(path)
    for source in doc.get('sourceDescriptions') or []:
        url = str((source or {}).get('url', ''))
        if '://' in url or url.startswith('//'):
            return {'doc': path, 'status': 'remote-source', 'why': url}
        if not os.path.exists(os.path.join(folder, url.split('#')[0])):
            return {'doc': path, 'status': 'missing-source', 'why': url}
    run = lambda *args: subprocess.run([cli, *args, name], cwd=folder, capture_output=True,
                                       text=True, timeout=600)
    if fix:
        run('fix')
    result = run('check', '--format', 'json')
    if result.returncode == 0:
        return {'doc': path, 'status': 'ok'}
    try:
        return {'doc': path, 'status': 'errors', 'diags': json.loads(result.stdout)}
    except json.JSONDecodeError:
        return {'doc': path, 'status': 'crash', 'why': (result.stdout + result.stderr)[-500:]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('dir')
    parser.add_argument('--cli', default='target/debug/arazzo')
    parser.add_argument('--fix', action='store_true')
    parser.add_argument('--json')
    parser.add_argument('--top', type=int, default=25)
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    paths = list(documents(args.dir))
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda p: check(cli, p, args.fix), paths))
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(results, f, indent=1)
    print(dict(collections.Counter(r['status'] for r in results)))
    fold = lambda m: re.sub(r'\d+', 'N', re.sub(r'`[^`]*`', '`_`', m))[:140]
    docs = collections.defaultdict(set)
    for r in results:
        for d in r.get('diags', []):
            docs[fold(d['message'])].add(r['doc'])
    for message, where in sorted(docs.items(), key=lambda kv: -len(kv[1]))[:args.top]:
        print(f'{len(where):5} documents  {message}')


if __name__ == '__main__':
    sys.exit(main())
