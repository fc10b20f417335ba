// One stream's viewer feedback, checked before anyone believes it: receiver reports against what
// was sent (report-check.ts), TWCC feedback from a known viewer at a sane rate. Everything else a
// helper says passes through unchanged; what was corrected or dropped becomes a `feedback_issue`.
import { viewerLeft, type HelperEvent, type ViewerTransport } from '../helper/events.ts';
import { viewerKey } from '../metrics/viewer-key.ts';
import { Cadence } from './cadence.ts';
import { ReportChecker, type CheckedReport, type IssueAction } from './report-check.ts';
import { TokenBucket } from './token-bucket.ts';

export type TwccFeedback = Extract<HelperEvent, { type: 'twcc' }>;

/** A receiver report that passed the checks, with its viewer's cadence. */
export interface ViewerReport extends CheckedReport {
  type: 'report';
  viewer: string;
  clientId: number;
  address: string | undefined;
  transport: ViewerTransport | undefined;
  /** Reports accepted from this viewer so far, this one included. */
  reports: number;
  cadenceMs: number | undefined;
  /** A figure had to be corrected: the report is no evidence that the path is clean. */
  corrected: boolean;
}

/** Feedback that was corrected or dropped, and why. */
export interface FeedbackIssue {
  type: 'feedback_issue';
  /** `*`: no viewer's (RTCP from a stranger, or the helper's sum over its viewers). */
  viewer: string;
  tUs: number;
  /** `rtcp`: packets the helper dropped unread (native/feedback/rtcp-gate.c). */
  source: 'report' | 'twcc' | 'rtcp';
  reason: string;
  action: IssueAction;
  /** Packets it stands for. */
  count: number;
  /** The sender of refused RTCP, when it is no viewer. */
  address?: string;
}

export type StreamEvent =
  Exclude<HelperEvent, { type: 'rtcp' | 'feedback_dropped' | 'feedback_refused' }> | ViewerReport | FeedbackIssue;

/** rtspsrc sends one TWCC packet per frame (and one per 30 packets lost): 60 fps and losses stay under this. */
export const TWCC_PER_S = 100;
const TWCC_BURST = 50;

interface ViewerState {
  checker: ReportChecker;
  cadence: Cadence;
  reports: number;
  twcc: TokenBucket;
}

export class StreamFeedback {
  readonly #viewers = new Map<string, ViewerState>();

  /** The events downstream (metrics, controller) see for one helper event. */
  accept(event: HelperEvent): StreamEvent[] {
    switch (event.type) {
      case 'rtcp':
        return this.#report(event);
      case 'twcc':
        return this.#twcc(event);
      case 'feedback_dropped':
        return [issue(viewerKey(event), event.tUs, 'report', event.reason, 'dropped')];
      case 'feedback_refused':
        return refused(event);
      case 'hello':
        // A new helper process numbers its clients from 1 again.
        this.#viewers.clear();
        return [event];
      case 'client':
        if (viewerLeft(event.event)) this.#viewers.delete(viewerKey(event));
        return [event];
      default:
        return [event];
    }
  }

  #viewer(key: string): ViewerState {
    let viewer = this.#viewers.get(key);
    if (!viewer) {
      viewer = {
        checker: new ReportChecker(),
        cadence: new Cadence(),
        reports: 0,
        twcc: new TokenBucket(TWCC_PER_S, TWCC_BURST),
      };
      this.#viewers.set(key, viewer);
    }
    return viewer;
  }

  #report(event: Extract<HelperEvent, { type: 'rtcp' }>): StreamEvent[] {
    const key = viewerKey(event);
    // A report nobody can be found for is dropped unseen, without state kept for it.
    const viewer = event.clientId === undefined ? undefined : this.#viewer(key);
    const { report, issues } = viewer ? viewer.checker.check(event) : new ReportChecker().check(event);
    const out: StreamEvent[] = issues.map((found) => issue(key, event.tUs, 'report', found.reason, found.action));
    if (report === undefined || viewer === undefined) return out;
    viewer.reports += 1;
    viewer.cadence.add(report.tUs);
    out.push({
      type: 'report',
      viewer: key,
      clientId: event.clientId!,
      address: event.address,
      transport: event.transport,
      reports: viewer.reports,
      cadenceMs: viewer.cadence.ms(),
      corrected: issues.length > 0,
      ...report,
    });
    return out;
  }

  #twcc(event: TwccFeedback): StreamEvent[] {
    const key = viewerKey(event);
    if (event.clientId === undefined) return [issue(key, event.tUs, 'twcc', 'unknown_viewer', 'dropped')];
    if (!this.#viewer(key).twcc.take(event.tUs)) return [issue(key, event.tUs, 'twcc', 'too_frequent', 'dropped')];
    // The helper has left out the packets it never sent (or no longer remembers).
    return event.unknown > 0 ? [issue(key, event.tUs, 'twcc', 'unknown_seq', 'corrected'), event] : [event];
  }
}

function issue(
  viewer: string,
  tUs: number,
  source: FeedbackIssue['source'],
  reason: string,
  action: IssueAction,
): FeedbackIssue {
  return { type: 'feedback_issue', viewer, tUs, source, reason, action, count: 1 };
}

/** A second's RTCP the helper dropped unread: from strangers, and past viewers' rates. */
function refused(event: Extract<HelperEvent, { type: 'feedback_refused' }>): FeedbackIssue[] {
  const { tUs, strangerPackets, overRatePackets, strangerAddress } = event;
  const issues: FeedbackIssue[] = [];
  if (strangerPackets > 0) {
    issues.push({
      type: 'feedback_issue',
      viewer: '*',
      tUs,
      source: 'rtcp',
      reason: 'stranger',
      action: 'dropped',
      count: strangerPackets,
      ...(strangerAddress ? { address: strangerAddress } : {}),
    });
  }
  if (overRatePackets > 0)
    issues.push({
      type: 'feedback_issue',
      viewer: '*',
      tUs,
      source: 'rtcp',
      reason: 'over_rate',
      action: 'dropped',
      count: overRatePackets,
    });
  return issues;
}
