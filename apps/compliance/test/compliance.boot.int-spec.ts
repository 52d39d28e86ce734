import { describeServiceBoot } from '@postrade/testing';

describeServiceBoot('compliance', 13005);
