// Which questions "Run on a Compute Node…" asks, per site profile and preset: the step count the
// multi-step input shows is this list's length, so a skipped step must really be left out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobProfile } from '../../src/core/scheduler/profiles';
import { jobSettingStepIds, resourceChoices, settledJob, submitStepIds } from '../../src/features/jobs/submitSteps';

const abci3 = jobProfile('abci3');
const abci2 = jobProfile('abci2');
const gridengine = jobProfile('gridengine');
const generic = jobProfile('generic');

describe('the steps of Run on a Compute Node…', () => {
  it('asks the experiment and every job setting of the profile when nothing is known', () => {
    assert.deepEqual(submitStepIds(abci3, false, settledJob(abci3, undefined, undefined)), ['experiment', 'group', 'resource', 'walltime']);
    assert.deepEqual(submitStepIds(abci2, false, settledJob(abci2, undefined, undefined)), ['experiment', 'group', 'resource', 'walltime']);
    // A plain cell: no group, an optional queue typed instead of a resource type picked.
    assert.deepEqual(submitStepIds(gridengine, false, settledJob(gridengine, undefined, undefined)), ['experiment', 'queue', 'walltime']);
    // No scheduler: only the experiment.
    assert.deepEqual(submitStepIds(generic, false, settledJob(generic, undefined, undefined)), ['experiment']);
  });

  it('leaves out the job settings the workspace remembered while they are valid', () => {
    const saved = { group: 'gaa50000', resource: 'rt_HG', walltime: '2:00:00' };
    assert.deepEqual(settledJob(abci3, undefined, saved), saved);
    assert.deepEqual(submitStepIds(abci3, false, settledJob(abci3, undefined, saved)), ['experiment']);
    assert.deepEqual(submitStepIds(gridengine, false, settledJob(gridengine, undefined, { group: '', resource: '', walltime: '0:10:00' })), ['experiment']);
  });

  it('asks again when the remembered settings no longer fit the profile', () => {
    // Saved on a plain cell (no group), then the profile became ABCI 3.0's under the same key, or a typo.
    assert.equal(settledJob(abci3, undefined, { group: '', resource: 'rt_HF', walltime: '1:00:00' }), undefined);
    assert.equal(settledJob(gridengine, undefined, { group: '', resource: '', walltime: '10 min' }), undefined);
    assert.deepEqual(submitStepIds(gridengine, false, settledJob(gridengine, undefined, { group: '', resource: '', walltime: '10 min' })), ['experiment', 'queue', 'walltime']);
  });

  it('asks nothing for Resubmit (experiment and settings preset), and a preset wins over remembered settings', () => {
    const preset = { group: 'gaa1', resource: 'rt_HF', walltime: '0:30:00' };
    assert.deepEqual(submitStepIds(abci3, true, settledJob(abci3, preset, undefined)), []);
    assert.deepEqual(settledJob(abci3, preset, { group: 'other', resource: 'rt_HC', walltime: '9:00:00' }), preset);
    assert.deepEqual(submitStepIds(generic, true, settledJob(generic, undefined, undefined)), []);
  });

  it('asks only the job settings when the experiment is preset', () => {
    assert.deepEqual(submitStepIds(abci2, true, settledJob(abci2, undefined, undefined)), ['group', 'resource', 'walltime']);
  });

  it('asks Set Job Settings… the same questions as a submission', () => {
    assert.deepEqual(jobSettingStepIds(abci3), ['group', 'resource', 'walltime']);
    assert.deepEqual(jobSettingStepIds(gridengine), ['queue', 'walltime']);
    assert.deepEqual(jobSettingStepIds(generic), []);
  });

  it('offers the resource type used last first, each type once', () => {
    assert.deepEqual(resourceChoices(abci3, undefined), ['rt_HF', 'rt_HG', 'rt_HC']);
    assert.deepEqual(resourceChoices(abci3, 'rt_HC'), ['rt_HC', 'rt_HF', 'rt_HG']);
    assert.deepEqual(resourceChoices(abci2, ''), ['rt_C.small', 'rt_C.large', 'rt_G.small', 'rt_F']);
  });
});
