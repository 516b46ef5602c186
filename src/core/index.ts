/**
 * Trackdown's browser-safe core: read a tracker from any {@link Source}, validate it and
 * get an immutable, indexed {@link Tracker} with located diagnostics. Node-only parts (the
 * file-system source, the cache, the CLI) live in `trackdown/node`.
 *
 * @packageDocumentation
 */

export { countChecklist } from "./checklist.js";
export { addDays, daysBetween, isDate, startOfWeek, todayIn } from "./dates.js";
export {
  DIAGNOSTICS,
  type DiagnosticCode,
  type DiagnosticDefinition,
  type Severity,
} from "./diagnostics/codes.js";
export {
  compareDiagnostics,
  countBySeverity,
  type Diagnostic,
  type Range,
  type RelatedLocation,
} from "./diagnostics/diagnostic.js";
export { didYouMean } from "./did-you-mean.js";
export { type Change, type ChangeKind, changeRecord, diffTrackers } from "./diff/diff.js";
export { formatDuration, parseDuration } from "./duration.js";
export {
  type EditOutcome,
  editFrontMatter,
  editYaml,
  type FieldEdit,
  type YamlPath,
} from "./edit/yaml-edit.js";
export { newRecordText, type YamlScalar, type YamlValue } from "./edit/yaml-text.js";
export { type ActivityFeedOptions, activityFeed } from "./feeds/atom.js";
export { type CalendarFeedOptions, calendarFeed } from "./feeds/ical.js";
export { compareTaskIds, nextTaskId, parseTaskId, slugify, taskIdFromFileStem } from "./ids.js";
export {
  type IndexOptions,
  indexTracker,
  type MilestoneFacts,
  type TaskFacts,
  type TrackerIndex,
} from "./index/tracker-index.js";
export { memoryParseCache } from "./memory-cache.js";
export type * from "./model.js";
export { codeSpan, inertCell, inertText, mention, plainLine } from "./notify/safe-markdown.js";
export { type OpenOptions, openTracker } from "./open-tracker.js";
export { classifyPath, type FileRole, type RecordKind } from "./parse/layout.js";
export type { ParsedFile } from "./parse/read-file.js";
export { readRecordFile } from "./parse/read-file.js";
export {
  type Comparison,
  type FieldTerm,
  MAX_QUERY_LENGTH,
  parseQuery,
  type QueryProblem,
  type QueryTerm,
  type QueryValue,
  type TextTerm,
} from "./query/parse.js";
export {
  GROUP_KEYS,
  type GroupKey,
  type QueryGroup,
  type QueryOptions,
  type QueryResult,
  query,
  SORT_KEYS,
  type SortKey,
} from "./query/query.js";
export { type CyclePoint, cycleTimeChart } from "./reports/charts.js";
export {
  type BurnPoint,
  burnChart,
  cumulativeFlow,
  flowTimes,
  percentiles,
  type ReportFilter,
  type TaskFlowTime,
  type TaskMoment,
  taskMoments,
  throughput,
} from "./reports/flow.js";
export { type Chart, type ChartSeries, renderChart } from "./reports/svg.js";
export {
  type Logged,
  type MilestoneForecast,
  milestoneForecasts,
  type PersonLoad,
  type TaskAge,
  type Timesheet,
  timesheet,
  velocity,
  workItemAge,
  workload,
} from "./reports/work.js";
export {
  type Actor,
  actorFor,
  may,
  permissionFor,
  type ReviewInput,
  type ReviewResult,
  relevantDiagnostics,
  reviewChanges,
  transitionAllowed,
} from "./review/review.js";
export { SCHEMAS, type SchemaKind } from "./schemas.generated.js";
export {
  loadSearchIndex,
  type SearchField,
  type SearchHit,
  type SearchIndex,
  type SearchOptions,
  search,
  searchIndexFor,
} from "./search/search-index.js";
export {
  memorySource,
  normalisePath,
  overlaySource,
  type ParseCache,
  type Source,
  type SourceEntry,
} from "./source.js";
