import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestTarget } from '../../src/front-door/request-target.ts';

test('accepts *, absolute rtsp URLs and absolute paths', () => {
  assert.deepEqual(parseRequestTarget('*'), { kind: 'asterisk' });
  assert.deepEqual(parseRequestTarget('rtsp://[::1]:8554/video1/trackID=0?q=1'), {
    kind: 'resource',
    host: '[::1]',
    path: '/video1/trackID=0',
    query: '?q=1',
  });
  assert.deepEqual(parseRequestTarget('rtsp://h?x'), { kind: 'resource', host: 'h', path: '', query: '?x' });
  assert.deepEqual(parseRequestTarget('rtsp://u:p@h:1'), { kind: 'resource', host: 'h', path: '', query: '' });
  assert.deepEqual(parseRequestTarget('/video1?'), { kind: 'resource', host: undefined, path: '/video1', query: '?' });
});

test('refuses other forms', () => {
  for (const raw of [
    '',
    'video1',
    'http://h/video1',
    'rtsps://h/video1',
    'rtsp://h:80x/',
    'rtsp://h/a#b',
    'rtsp://[::1/',
    'rtsp://h/\u00e9',
    'rtsp://a b/',
    'rtsp://h@i@j/',
  ]) {
    assert.equal(parseRequestTarget(raw), undefined, raw);
  }
});
