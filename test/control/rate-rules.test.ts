import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decreasedRate, probedRate } from '../../src/control/rate-rules.ts';

describe('decreasedRate', () => {
  it('sends 85 % of the capacity when no queue has built', () => {
    assert.equal(decreasedRate(1000, 0), 850);
    assert.equal(decreasedRate(1000, undefined), 850);
  });

  it('leaves room to drain the queue within 2 s, never below 60 % of the capacity', () => {
    assert.equal(decreasedRate(1000, 200), 750);
    assert.equal(decreasedRate(1000, 300), 700);
    assert.equal(decreasedRate(1000, 5000), 600);
  });
});

describe('probedRate', () => {
  it('climbs 8 % per second with nothing known', () => {
    assert.equal(
      Math.round(
        probedRate({
          currentKbps: 1000,
          lastGoodKbps: undefined,
          elapsedS: 1,
          sentKbps: undefined,
          signal: 'report',
          fresh: false,
        }),
      ),
      1080,
    );
  });

  it('climbs multiplicatively far below the last good rate, but only back to 85 % of it', () => {
    assert.equal(
      Math.round(
        probedRate({
          currentKbps: 500,
          lastGoodKbps: 1000,
          elapsedS: 1,
          sentKbps: undefined,
          signal: 'report',
          fresh: false,
        }),
      ),
      540,
    );
    assert.equal(
      probedRate({
        currentKbps: 800,
        lastGoodKbps: 1000,
        elapsedS: 5,
        sentKbps: undefined,
        signal: 'report',
        fresh: false,
      }),
      850,
    );
  });

  it('adds 2 % of the last good rate per second near it between reports, 5 % with send-queue samples', () => {
    assert.equal(
      probedRate({
        currentKbps: 900,
        lastGoodKbps: 1000,
        elapsedS: 5,
        sentKbps: undefined,
        signal: 'report',
        fresh: false,
      }),
      1000,
    );
    assert.equal(
      probedRate({
        currentKbps: 900,
        lastGoodKbps: 1000,
        elapsedS: 1,
        sentKbps: undefined,
        signal: 'queue',
        fresh: true,
      }),
      950,
    );
  });

  it('climbs 25 % per second with nothing known when the signals are fresh', () => {
    assert.equal(
      Math.round(
        probedRate({
          currentKbps: 1000,
          lastGoodKbps: undefined,
          elapsedS: 0.5,
          sentKbps: undefined,
          signal: 'twcc',
          fresh: true,
        }),
      ),
      1118,
    );
    assert.equal(
      Math.round(
        probedRate({
          currentKbps: 1000,
          lastGoodKbps: undefined,
          elapsedS: 0.5,
          sentKbps: undefined,
          signal: 'twcc',
          fresh: false,
        }),
      ),
      1039,
    );
  });

  it('treats a last good rate far below as stale', () => {
    assert.equal(
      Math.round(
        probedRate({
          currentKbps: 2000,
          lastGoodKbps: 1000,
          elapsedS: 1,
          sentKbps: undefined,
          signal: 'report',
          fresh: false,
        }),
      ),
      2160,
    );
  });

  it('never steps up more than 1.3 times, however long the silence', () => {
    assert.equal(
      probedRate({
        currentKbps: 1000,
        lastGoodKbps: undefined,
        elapsedS: 60,
        sentKbps: undefined,
        signal: 'report',
        fresh: false,
      }),
      1300,
    );
  });

  it('does not probe beyond 1.5 times what the encoder really sends', () => {
    assert.equal(
      probedRate({
        currentKbps: 2000,
        lastGoodKbps: undefined,
        elapsedS: 5,
        sentKbps: 600,
        signal: 'report',
        fresh: false,
      }),
      2000,
    );
    assert.equal(
      probedRate({
        currentKbps: 1000,
        lastGoodKbps: undefined,
        elapsedS: 5,
        sentKbps: 800,
        signal: 'report',
        fresh: false,
      }),
      1200,
    );
  });
});
